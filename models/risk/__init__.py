"""The transfer risk model: `dataset` (features + the simulator's labels, split by time), `metrics`,
`baseline` (hand-written rules to beat), `train` (scikit-learn, exported to ONNX, registered) and
`scorer` (onnxruntime only: probabilities, decisions and reasons for serving)."""
