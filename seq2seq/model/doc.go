// Package model builds the textgen encoder-decoder as GoMLX graphs: a recurrent encoder and decoder (LSTM, GRU
// or plain Elman RNN, Config.Cell) with additive (Bahdanau) or Luong dot/general/concat attention
// (Config.AttentionType), or none (Config.Attention = 0, the baseline); teacher-forced logits for training and a
// greedy decoder that also returns the attention weights. Cell steps and attention steps are checked against
// PyTorch (torch_test.go) and by finite differences (gradcheck_test.go).
//
// The encoder can be stacked (Config.EncoderLayers, with Config.Dropout between layers while training) and
// bidirectional (Config.Bidirectional): its outputs are then [forward; backward], 2H wide, attention keys and
// values are 2H wide, and the decoder starts from a learned bridge tanh([h→; h←]·W_h + b_h) of both directions'
// final states ([Seq2Seq.Encode]). Zero values of these fields give the single-layer forward encoder, with
// unchanged variable names.
//
// Decoder step t, for the previous token y_{t−1} and state s_{t−1} (s_0 from the encoder); the attention is
// queried with the previous state (Bahdanau's wiring) for every score function:
//
//	context_t, α_t = Attend(s_{t−1}.H)                                  context [B,K], α [B,S]
//	s_t = cell([embed(y_{t−1}); context_t], s_{t−1})
//	logits_t = [s_t.H; context_t]·W_out + b_out                         W_out [H+K,V]
//
// With Config.InputFeeding (Luong et al. 2015, §3.3) the cell also reads the previous attentional vector h̃:
//
//	s_t = cell([embed(y_{t−1}); context_t; h̃_{t−1}], s_{t−1})           h̃_0 = 0
//	h̃_t = tanh([s_t.H; context_t]·W_c)                                  W_c [H+K,H], no bias
//
// and logits_t stay as above (in Luong's paper the softmax reads h̃_t; here the feed is the only change).
//
// Shapes use B for the batch, S for source positions, T for target positions, E for the embedding size,
// H for the hidden size, K for the encoder output size (H, or 2H bidirectional), A for the attention size and
// V for the vocabulary size. Token IDs are int32 and text.PadID (0) marks padding. Padding is masked everywhere:
//
//   - each encoder direction moves its state only at real tokens, so the forward final state is the state at a
//     sequence's last real token, the backward pass starts at that token whatever the padding, and outputs at
//     padded positions are zero;
//   - attention gives padded source positions exactly zero weight;
//   - the loss ([MaskedLoss]) ignores padded target positions.
//
// padding_test.go checks this for every cell × attention, bidirectional and two-layer encoders and input
// feeding; encoder_test.go checks the bidirectional symmetry (tied weights read a palindrome the same both
// ways) and that dropout acts only in training; train_test.go trains representative combinations a few steps.
//
// The cells are written from plain ops so that their gates are visible (and because GoMLX v0.28.2's
// lstm.Ragged is broken, see docs/architecture.md).
package model
