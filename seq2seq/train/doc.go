// Package train trains a textgen model: seeded shuffled batches, Adam on the masked cross-entropy with
// teacher forcing, periodic validation (loss, token accuracy, greedy exact match) and a loss history that
// plots can draw. Same configuration and seeds give the same numbers on CPU.
package train
