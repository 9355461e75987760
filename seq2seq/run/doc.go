// Package run reads and writes textgen run folders: everything needed to reuse or reproduce a trained model.
//
// Layout of a run folder:
//
//	config.json     the job's Config (task, data sizes and seed, model and training configuration)
//	vocab.json      the vocabulary and tokenizer (text.Vocab's format)
//	metrics.json    the loss history, validation points and final held-out scores
//	model/          the weights, as a GoMLX checkpoint
//	checkpoints/    training checkpoints (runs trained with Job.Start/Resume, e.g. by `textgen train`)
//	*.png, *.svg    charts written by the caller (loss curves, attention)
//
// Folders are written under a temporary name and renamed into place when complete, so a crash never leaves a
// half-written run where a finished one was expected.
package run
