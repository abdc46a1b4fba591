"""Requests over TLS, against the emulator serving https with a certificate made for the test (conftest)."""

from __future__ import annotations

import asyncio

import pytest

from emulator import HubEmulator
from hfmap.clients.http import HttpClient, HttpUnavailable, RetryPolicy


async def get(url: str):
    async with HttpClient(retry=RetryPolicy(attempts=1)) as http:
        return await http.request("GET", url)


def test_https_with_a_trusted_certificate_works_over_keep_alive(certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    with HubEmulator(tls=certificate) as hub:
        hub.add_model("org/m", pipeline_tag="text-to-image")
        assert hub.url.startswith("https://")

        async def twice():
            async with HttpClient(retry=RetryPolicy(attempts=1)) as http:
                first = await http.request("GET", f"{hub.url}/api/models/org/m")
                second = await http.request("GET", f"{hub.url}/api/models/org/m")
                return first.json()["id"], second.status_code

        assert asyncio.run(twice()) == ("org/m", 200)


def test_an_untrusted_certificate_is_a_clear_connection_failure(certificate, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # the usual CA bundle does not know this certificate
    with HubEmulator(tls=certificate) as hub, pytest.raises(HttpUnavailable) as info:
        asyncio.run(get(f"{hub.url}/api/models/org/m"))
    assert info.value.reason.startswith("cannot connect (") and "certificate" in info.value.reason.lower()
