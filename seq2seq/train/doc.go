// Package train trains a textgen model: seeded shuffled batches (optionally in length buckets), Adam on the
// masked cross-entropy (optionally label-smoothed) with teacher forcing or scheduled sampling, learning-rate
// schedules, global-norm gradient clipping, periodic validation (loss, token accuracy, greedy exact match),
// early stopping, a NaN/Inf guard and checkpoints from which a run resumes exactly. Same configuration and
// seeds give the same numbers on CPU, across interruptions. docs/training.md has the formulas.
package train
