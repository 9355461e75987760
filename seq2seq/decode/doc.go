// Package decode turns a trained textgen model into text.
//
// Decoder drives the model's step graph (seqmodel.Seq2Seq.StartDecoding, DecodeStep) from Go and offers
// every strategy of Options: greedy, sampling with temperature, top-k and top-p (nucleus), and beam search
// with GNMT's length penalty, n-best lists, minimum and maximum length and no-repeat n-grams. All of them
// decode many sources at once, return per-token and total log-probabilities and attention weights, and are
// deterministic (sampling is seeded).
//
// Greedy is the original one-graph greedy decoder (the whole loop unrolled in one graph); Reference is a
// slow, obviously correct beam search, re-scoring every hypothesis with the teacher-forced graph, that the
// tests hold Decoder to. docs/decoding.md describes the strategies with their formulas.
package decode
