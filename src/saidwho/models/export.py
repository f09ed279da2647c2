"""The encoder exported to ONNX and run by onnxruntime (``"runtime": "onnx"``)."""

from __future__ import annotations

import torch
from torch import nn

from saidwho.errors import UserError
from saidwho.models.encoder import SaidwhoModel


class OnnxEncoder:
    """The encoder (embeddings and all six layers) run by onnxruntime.

    Exported from the loaded model at start-up (about 1 s; nothing is written
    to disk, so the 90 MB fp32 graph never lands in git or a cache); the heads
    stay in torch. Same outputs as torch to about 1e-5, about 1.25 times faster
    on two CPU cores (README, Speed). ``config["runtime"] = "onnx"`` selects it.
    """

    def __init__(self, model: SaidwhoModel):
        import io
        import warnings

        try:
            import onnx  # noqa: F401  (the exporter needs it)
            import onnxruntime
        except ImportError:
            raise UserError("this model runs its encoder with onnxruntime: pip install 'saidwho[onnx]'") from None

        class _Encode(nn.Module):
            def __init__(self, inner: SaidwhoModel):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask):
                return self.inner.encode(input_ids, attention_mask)

        example = (torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long))
        graph = io.BytesIO()
        with warnings.catch_warnings(), torch.no_grad():
            # The TorchScript exporter is deprecated but needs no extra packages
            # (the newer one wants onnxscript) and handles this plain encoder.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Encode(model).eval(), example, graph,
                input_names=["input_ids", "attention_mask"], output_names=["hidden"],
                dynamic_axes={name: {0: "batch", 1: "pieces"} for name in ("input_ids", "attention_mask", "hidden")},
                opset_version=17, dynamo=False,
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(graph.getvalue(), options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        (hidden,) = self.session.run(None, {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy()})
        return torch.from_numpy(hidden)


