/** Entry of the training process forked by the extension host (plain Node). */
process.on('message', () => {
  process.send?.({ type: 'ready' });
});
