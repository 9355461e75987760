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
	ForgetBias float64 `json:"forget_bias"` // Initial bias of the LSTM forget gates (1 is the usual choice); unused by the GRU and the RNN.
	Seed       int64   `json:"seed"`        // Seed of the weight initialisation.

	Cell          string `json:"cell,omitempty"`           // Recurrent cell: "lstm" (CellLSTM, the default when empty), "gru" (CellGRU) or "rnn" (CellRNN).
	AttentionType string `json:"attention_type,omitempty"` // Score: "additive" (default when empty), "dot", "general", "concat".

	// Encoder depth and direction (see Seq2Seq.Encode). Zero values give the single-layer forward encoder.
	EncoderLayers int     `json:"encoder_layers,omitempty"` // Stacked encoder layers; 0 means 1.
	Bidirectional bool    `json:"bidirectional,omitempty"`  // Add a backward pass to every encoder layer: outputs [B,S,2H], decoder state from a learned bridge.
	Dropout       float64 `json:"dropout,omitempty"`        // Dropout rate in [0,1) between encoder layers, in training only; needs encoder_layers ≥ 2.

	InputFeeding bool `json:"input_feeding,omitempty"` // Luong input feeding: the decoder cell also reads its previous attentional vector h̃ (see the package doc); needs attention > 0.
}

// encoderLayers is c.EncoderLayers with the default (1) filled in.
func (c Config) encoderLayers() int { return max(c.EncoderLayers, 1) }

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
		oneOf("cell", c.Cell, CellLSTM, CellGRU, CellRNN),
		oneOf("attention_type", c.AttentionType, AttentionAdditive, AttentionDot, AttentionGeneral, AttentionConcat),
		check("encoder_layers", c.EncoderLayers, 0),
		c.validateDropout(),
		c.validateInputFeeding(),
	)
}

// validateInputFeeding checks that input feeding has an attention to feed.
func (c Config) validateInputFeeding() error {
	if c.InputFeeding && c.Attention == 0 {
		return fmt.Errorf("%w: field \"input_feeding\" is true but \"attention\" is 0: input feeding feeds the attentional vector, so it needs attention",
			ErrConfig)
	}
	return nil
}

// validateDropout checks that Dropout is a rate in [0,1) and that there is a layer boundary to apply it at.
func (c Config) validateDropout() error {
	switch {
	case !(c.Dropout >= 0 && c.Dropout < 1): // also rejects NaN
		return fmt.Errorf("%w: field \"dropout\" is %g, must be in [0, 1)", ErrConfig, c.Dropout)
	case c.Dropout > 0 && c.encoderLayers() < 2:
		return fmt.Errorf("%w: field \"dropout\" is %g but dropout acts only between encoder layers: set \"encoder_layers\" ≥ 2 or dropout to 0",
			ErrConfig, c.Dropout)
	}
	return nil
}

// oneOf reports a string field that is neither empty (the default, allowed[0]) nor one of allowed.
func oneOf(name, v string, allowed ...string) error {
	if v == "" || slices.Contains(allowed, v) {
		return nil
	}
	return fmt.Errorf("%w: field %q is %q, must be one of %q (empty means %q)", ErrConfig, name, v, allowed, allowed[0])
}
