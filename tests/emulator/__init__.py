"""A faithful local emulator of the Hugging Face Hub (model API, model search, partner Model Mapping API)
and of the inference providers' model APIs, for hfmap's tests and benchmarks.

    from emulator import HubEmulator, Fault

    with HubEmulator() as emu:
        emu.add_model("org/name", pipeline_tag="text-to-image")
        emu.add_token("hf_write", user="alice", write_orgs=("replicate",))
        emu.seed_mapping("replicate", task="text-to-image", hf_model="org/name", provider_model="owner/name")
        ...  # point hfmap at emu.url / emu.provider_url("replicate")
"""

from .core import HubEmulator, RequestLog
from .faults import FAULT_KINDS, Fault

__all__ = ["FAULT_KINDS", "Fault", "HubEmulator", "RequestLog"]
