// Package decode turns a trained textgen model into text: greedy decoding that also returns, for every
// generated token, its attention weights over the source tokens.
package decode
