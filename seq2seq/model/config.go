package model

import (
	"errors"
	"fmt"
	"slices"
)

// Config describes one encoder-decoder. It is saved in every run folder as config.json.
type Config struct {
	VocabSize  int     `json:"vocab_size"`  // Tokens in the shared source/target vocabulary (V); set from the vocabulary.
	Embed      int     `json:"embed"`       // Token embedding size (E).
	Hidden     int     `json:"hidden"`      // Recurrent state size (H) of encoder and decoder.
	Attention  int     `json:"attention"`   // Attention size (A) of additive and concat scores; > 0 enables attention of any type, 0 is the no-attention baseline.
	MaxSource  int     `json:"max_source"`  // Source positions (S) including the end token; longer inputs are rejected.
	MaxTarget  int     `json:"max_target"`  // Target positions (T) including the end token; greedy decoding stops here.
	ForgetBias float64 `json:"forget_bias"` // Initial bias of the LSTM forget gates (1 is the usual choice); unused by the GRU.
	Seed       int64   `json:"seed"`        // Seed of the weight initialisation.

	Cell          string `json:"cell,omitempty"`           // Recurrent cell: "lstm" (CellLSTM, the default when empty) or "gru" (CellGRU).
	AttentionType string `json:"attention_type,omitempty"` // Score: "additive" (default when empty), "dot", "general", "concat".
}

// cell is c.Cell with the default filled in.
func (c Config) cell() string {
	if c.Cell == "" {
		return CellLSTM
	}
	return c.Cell
}

// attentionType is c.AttentionType with the default filled in.
func (c Config) attentionType() string {
	if c.AttentionType == "" {
		return AttentionAdditive
	}
	return c.AttentionType
}

// DefaultConfig is sized for the built-in date task: it reaches ≥95% exact match in a few minutes on 2 CPU cores.
func DefaultConfig() Config {
	return Config{Embed: 32, Hidden: 64, Attention: 32, MaxSource: 32, MaxTarget: 12, ForgetBias: 1, Seed: 1}
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("invalid model config")

// Validate reports the first field that is out of range.
func (c Config) Validate() error {
	check := func(name string, v, min int) error {
		if v < min {
			return fmt.Errorf("%w: field %q is %d, must be ≥ %d", ErrConfig, name, v, min)
		}
		return nil
	}
	return errors.Join(
		check("vocab_size", c.VocabSize, 5),
		check("embed", c.Embed, 1),
		check("hidden", c.Hidden, 1),
		check("attention", c.Attention, 0),
		check("max_source", c.MaxSource, 1),
		check("max_target", c.MaxTarget, 1),
		oneOf("cell", c.Cell, CellLSTM, CellGRU),
		oneOf("attention_type", c.AttentionType, AttentionAdditive, AttentionDot, AttentionGeneral, AttentionConcat),
	)
}

// oneOf reports a string field that is neither empty (the default, allowed[0]) nor one of allowed.
func oneOf(name, v string, allowed ...string) error {
	if v == "" || slices.Contains(allowed, v) {
		return nil
	}
	return fmt.Errorf("%w: field %q is %q, must be one of %q (empty means %q)", ErrConfig, name, v, allowed, allowed[0])
}
