"""A synthetic OpenAlex snapshot, shaped and skewed like the real one, for benchmarks and
tests of the importer: `generate_corpus(out, CorpusSpec(works=...))`, or the
`generate_corpus` management command."""

from works.generate.corpus import generate_corpus
from works.generate.spec import GENERATOR_VERSION, CorpusReport, CorpusSpec

__all__ = ["GENERATOR_VERSION", "CorpusReport", "CorpusSpec", "generate_corpus"]
