"""Real MyMemory clients against the live server: deep-translator in this environment, and the
`translate` package in a virtual environment of its own (it installs a module named `translate`,
as translate-toolkit does, so the two cannot share one)."""
from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import requests
from deep_translator import MyMemoryTranslator
from deep_translator.exceptions import RequestError


def deep_translator(live_server, source: str = "fr-FR", target: str = "en-GB") -> MyMemoryTranslator:
    translator = MyMemoryTranslator(source=source, target=target)
    translator._base_url = f"{live_server.url}/get"  # the client's own base URL, pointed here
    return translator


def test_deep_translator_exact_and_fuzzy(live_server):
    translator = deep_translator(live_server)
    assert translator.translate("Le ministre a annoncé un nouveau programme.") == "The minister announced a new program."
    # Only the amount differs: the stored translation comes back with the query's amount.
    assert translator.translate("Le projet coûte 89,2 millions de dollars.") == "The project costs $89.2 million."


def test_deep_translator_by_language_name_and_all_matches(live_server):
    translator = deep_translator(live_server, source="english", target="french")
    everything = translator.translate("Thank you very much.", return_all=True)
    assert everything[0] == "Merci beaucoup."
    assert everything[1]["segment"] == "Thank you very much." and everything[1]["match"] == 1


def test_deep_translator_batch(live_server):
    translator = deep_translator(live_server)
    assert translator.translate_batch(["Merci beaucoup.", "Le ministre a annoncé un nouveau programme."]) == [
        "Thank you very much.", "The minister announced a new program."]


def test_deep_translator_sees_errors_as_errors(live_server):
    translator = deep_translator(live_server, source="french", target="french canada")  # one language: 422
    with pytest.raises(RequestError):
        translator.translate("Bonjour")


def test_mymemory_set_then_get(live_server):
    query = {"seg": "Bonne fin de semaine.", "tra": "Have a nice weekend.", "langpair": "fr|en",
             "key": live_server.write_key, "de": "translator@example.org"}
    response = requests.get(f"{live_server.url}/set", params=query, timeout=30)
    assert response.status_code == 200 and response.json()["responseStatus"] == 200
    assert deep_translator(live_server).translate("Bonne fin de semaine.") == "Have a nice weekend."
    refused = requests.get(f"{live_server.url}/set", params={**query, "key": "tm_wrong"}, timeout=30)
    assert refused.status_code == 401 and refused.headers["Content-Type"] == "application/problem+json"


TRANSLATE_SCRIPT = """
import json, sys
from translate import Translator
from translate.providers import MyMemoryProvider

MyMemoryProvider.base_url = sys.argv[1]  # the provider's own base URL, pointed at the live server
translator = Translator(from_lang="fr", to_lang="en", provider="mymemory")
print(json.dumps([translator.translate(text) for text in sys.argv[2:]]))
"""


@pytest.fixture(scope="session")
def translate_python(request) -> Path:
    """A virtual environment with the `translate` package, under the pytest cache (kept between runs)."""
    folder = Path(request.config.cache.mkdir("translate-venv"))
    python = folder / "bin" / "python"
    ready = folder / ".installed"
    if not ready.exists():
        venv.create(folder, with_pip=True, clear=True)
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "translate>=3.6,<4"],
            capture_output=True, text=True, timeout=600,
        )
        if result.returncode != 0:
            pytest.skip(f"could not pip-install the translate package: {result.stderr.strip()[-300:]}")
        ready.touch()
    return python


@pytest.mark.slow
def test_translate_package_mymemory_provider(live_server, translate_python):
    result = subprocess.run(
        [str(translate_python), "-c", TRANSLATE_SCRIPT, f"{live_server.url}/get",
         "Merci beaucoup.", "Le projet coûte 89,2 millions de dollars."],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["Thank you very much.", "The project costs $89.2 million."]
    assert sys.executable != str(translate_python)
