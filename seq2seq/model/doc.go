// Package model builds the textgen encoder-decoder as GoMLX graphs: a recurrent encoder and decoder (LSTM or
// GRU, Config.Cell) with additive (Bahdanau) or Luong dot/general/concat attention (Config.AttentionType), or
// none (Config.Attention = 0, the baseline); teacher-forced logits for training and a greedy decoder that also
// returns the attention weights. Cell steps and attention steps are checked against PyTorch (torch_test.go)
// and by finite differences (gradcheck_test.go).
//
// Shapes use B for the batch, S for source positions, T for target positions, E for the embedding size,
// H for the hidden size, A for the attention size and V for the vocabulary size. Token IDs are int32 and
// text.PadID (0) marks padding. Padding is masked everywhere:
//
//   - the encoder does not move its state past a sequence's last real token, so its final state is the state
//     at that token, and its outputs at padded positions are zero;
//   - attention gives padded source positions exactly zero weight;
//   - the loss ([MaskedLoss]) ignores padded target positions.
//
// The cells are written from plain ops so that their gates are visible (and because GoMLX v0.28.2's
// lstm.Ragged is broken, see docs/architecture.md).
package model
