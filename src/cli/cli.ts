/** `model-lab` command line: trains an experiment headless into the same run folder. */
console.log('model-lab: not yet wired');
