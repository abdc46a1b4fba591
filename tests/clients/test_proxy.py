"""Behind a proxy (HTTP_PROXY / HTTPS_PROXY, NO_PROXY), requests go to the proxy (https: see
test_transport_edges.py, a CONNECT tunnel).

The second emulator plays the proxy: a forward proxy receives `GET http://host/path`, and the emulator
answers any such request as if it were the host, so its log shows the request went through it.
"""

from __future__ import annotations

import asyncio

from emulator import HubEmulator
from hfmap.clients.http import HttpClient, RetryPolicy


async def ask(url: str) -> int:
    async with HttpClient(retry=RetryPolicy(attempts=1)) as http:
        return (await http.request("GET", url)).status_code


def test_a_proxy_from_the_environment_carries_the_requests(hub, monkeypatch):
    hub.add_model("org/m", pipeline_tag="text-to-image")
    with HubEmulator() as proxy:
        proxy.add_model("org/m", pipeline_tag="text-to-image")
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        assert asyncio.run(ask(f"{hub.url}/api/models/org/m")) == 200
        assert [r.path for r in proxy.requests] == ["/api/models/org/m"]
        assert hub.requests == []


def test_no_proxy_sends_directly(hub, monkeypatch):
    hub.add_model("org/m", pipeline_tag="text-to-image")
    with HubEmulator() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        assert asyncio.run(ask(f"{hub.url}/api/models/org/m")) == 200
        assert proxy.requests == [] and len(hub.requests) == 1
