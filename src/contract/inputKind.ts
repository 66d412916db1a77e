/** What a model's input holds: 'tokens' are int64 ids (an embedding comes first); 'float' is everything else. */
export type InputKind = 'float' | 'tokens';
