// Package bench measures textgen's seq2seq training and decoding against PyTorch and Keras, in the same run.
//
// One model is written in every framework: an LSTM encoder, an LSTM decoder with additive (Bahdanau) attention,
// teacher forcing, Adam and global-norm gradient clipping. Two sizes are measured (see Configs): S, a character
// model, and L, a word model. The command that runs it all is `bash scripts/bench.sh`; it writes
// docs/benchmarks.md.
//
// The package holds the pure logic the runners share: the configurations, the synthetic data every framework
// reads (the same bytes in Go and Python, see Data), the analytic FLOP counts, the summary statistics and the
// report writer. Processes under bench/cmd and bench/peers do the measuring; nothing here times anything, so
// `go test ./bench/...` is fast and deterministic.
package bench
