package model_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	seqmodel "github.com/gotextgen/textgen/seq2seq/model"
)

// Cell and AttentionType default to today's model when empty, accept the documented values and name the
// field at fault otherwise.
func TestConfigCellAndAttentionType(t *testing.T) {
	for _, c := range []struct {
		cell, att string
		bad       string // field named in the error; "" when valid
	}{
		{"", "", ""}, {"lstm", "additive", ""}, {"gru", "dot", ""}, {"gru", "general", ""}, {"lstm", "concat", ""},
		{"rnn", "dot", ""}, {"elman", "", `"cell"`}, {"LSTM", "", `"cell"`}, {"", "luong", `"attention_type"`},
	} {
		cfg := smallConfig()
		cfg.Cell, cfg.AttentionType = c.cell, c.att
		err := cfg.Validate()
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("cell %q, attention_type %q rejected: %v", c.cell, c.att, err)
		case c.bad != "" && (!errors.Is(err, seqmodel.ErrConfig) || !strings.Contains(errString(err), c.bad)):
			t.Errorf("cell %q, attention_type %q: error %q does not name field %s", c.cell, c.att, errString(err), c.bad)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// A config.json written before the fields existed still loads as the LSTM with additive attention, and
// the default config writes no new fields, so existing run folders and their hashes stay as they were.
func TestConfigJSONBackwardCompatible(t *testing.T) {
	old := `{"vocab_size":20,"embed":32,"hidden":64,"attention":32,"max_source":32,"max_target":12,"forget_bias":1,"seed":1}`
	var cfg seqmodel.Config
	if err := json.Unmarshal([]byte(old), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Cell != "" || cfg.AttentionType != "" || cfg.Validate() != nil {
		t.Fatalf("old config decoded as %+v (validate: %v)", cfg, cfg.Validate())
	}
	out, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != old {
		t.Errorf("round trip changed the JSON:\n got %s\nwant %s", out, old)
	}
	cfg.Cell, cfg.AttentionType = seqmodel.CellGRU, seqmodel.AttentionGeneral
	out, _ = json.Marshal(cfg)
	if !strings.Contains(string(out), `"cell":"gru","attention_type":"general"`) {
		t.Errorf("new fields not written: %s", out)
	}
}

// The encoder and input-feeding fields accept their documented ranges and name the field at fault otherwise;
// set, they are written under their JSON names.
func TestConfigEncoderAndInputFeeding(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*seqmodel.Config)
		bad    string // field named in the error; "" when valid
	}{
		{"zero values", func(c *seqmodel.Config) {}, ""},
		{"all on", func(c *seqmodel.Config) {
			c.EncoderLayers, c.Bidirectional, c.Dropout, c.InputFeeding = 3, true, 0.3, true
		}, ""},
		{"negative layers", func(c *seqmodel.Config) { c.EncoderLayers = -1 }, `"encoder_layers"`},
		{"dropout 1", func(c *seqmodel.Config) { c.EncoderLayers, c.Dropout = 2, 1 }, `"dropout"`},
		{"dropout NaN", func(c *seqmodel.Config) { c.EncoderLayers, c.Dropout = 2, math.NaN() }, `"dropout"`},
		{"dropout negative", func(c *seqmodel.Config) { c.EncoderLayers, c.Dropout = 2, -0.1 }, `"dropout"`},
		{"dropout without a second layer", func(c *seqmodel.Config) { c.Dropout = 0.2 }, `"encoder_layers"`},
		{"input feeding without attention", func(c *seqmodel.Config) { c.InputFeeding, c.Attention = true, 0 }, `"input_feeding"`},
	} {
		cfg := smallConfig()
		c.change(&cfg)
		err := cfg.Validate()
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%s: rejected: %v", c.name, err)
		case c.bad != "" && (!errors.Is(err, seqmodel.ErrConfig) || !strings.Contains(errString(err), c.bad)):
			t.Errorf("%s: error %q does not name field %s", c.name, errString(err), c.bad)
		}
	}
	cfg := smallConfig()
	cfg.EncoderLayers, cfg.Bidirectional, cfg.Dropout, cfg.InputFeeding = 2, true, 0.25, true
	out, _ := json.Marshal(cfg)
	if !strings.Contains(string(out), `"encoder_layers":2,"bidirectional":true,"dropout":0.25,"input_feeding":true`) {
		t.Errorf("new fields not written: %s", out)
	}
	var back seqmodel.Config
	if err := json.Unmarshal(out, &back); err != nil || back != cfg {
		t.Errorf("round trip: %+v, %v; want %+v", back, err, cfg)
	}
}
