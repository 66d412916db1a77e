/** Command ids of the run panels (contributed in package.json). */
export const PANEL_COMMANDS = {
  openMetrics: 'modelLab.openMetrics',
  compareRuns: 'modelLab.compareRuns',
  openEvaluation: 'modelLab.openEvaluation',
  openAttention: 'modelLab.openAttention',
  openRunFolder: 'modelLab.openRunFolder',
  openPlayground: 'modelLab.openPlayground',
  lookInsideCnn: 'modelLab.lookInsideCnn',
  lookInsideRnn: 'modelLab.lookInsideRnn',
} as const;
