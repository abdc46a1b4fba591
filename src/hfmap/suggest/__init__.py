"""`hfmap suggest`: the mappings a provider could add, found in its model list and checked on the Hub.

`candidates` matches listed ids to Hub repos (pure), `lora` chooses the bases worth a LoRA tag filter
(pure), `engine` asks the provider, the partner API and the Hub, and `report` is the result as data.
"""
