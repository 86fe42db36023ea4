"""False spelling warnings per 1,000 Thai words on the seeds' own text, and what the check costs.

Run: python3 bench/spelling_rate.py [SEEDS_DIR]   (default /work/shared/seeds)

Each seed is checked as a workbook of that unit would be: its unit name, parent and abbreviation are
the workbook's own words. A warning is *true* when its word is one of the typos listed below (each
found by reading the seed in context); every other warning counts as false. Thai words are newmm
tokens of the Thai runs (English, digits and punctuation excluded).
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pythainlp.tokenize import word_tokenize  # noqa: E402

from service.thai.abbreviations import foreign_abbreviations  # noqa: E402
from service.thai.spelling import lexicon, misspellings  # noqa: E402

# seed prefix → (own words of the unit, own abbreviation, {typo: the word meant})
SEEDS: dict[str, tuple[str, str, dict[str, str]]] = {
    "000": ("ศูนย์ความร่วมมือระหว่างประเทศ", "ศรป.", {"ปังบประมาณ": "ปีงบประมาณ", "ช้อย่อย": "ข้อย่อย"}),
    "001": ("ศูนย์ความร่วมมือระหว่างประเทศ", "ศรป.", {}),
    "002": ("องค์การบริหารส่วนตำบลคำเนียม อำเภอกันทรารมย์ จังหวัดศรีสะเกษ", "อบต.คำเนียม", {}),
    "003": ("การประปานครหลวง", "กปน.", {"ธรรมภิบาล": "ธรรมาภิบาล", "เนกประสงค์": "อเนกประสงค์"}),
    "004": ("สำนักงานเลขาธิการวุฒิสภา สำนักงานต่างประเทศ", "สว.", {"เพชบุ๊ก": "เฟซบุ๊ก", "ลั้ง": "ลัง"}),
}
_THAI = re.compile(r"[\u0e01-\u0e4e]+")


def thai_word_count(text: str) -> int:
    return sum(len(word_tokenize(run, engine="newmm", keep_whitespace=False)) for run in _THAI.findall(text))


def main(seeds_dir: Path) -> int:
    start = time.perf_counter()
    lex = lexicon()
    misspellings("ทดสอบ", lex=lex)              # first tokenizer call builds pythainlp's trie
    cold = time.perf_counter() - start
    total_words = total_false = 0
    missed: list[str] = []
    wrong: list[str] = []
    print(f"cold start (word lists + tokenizer): {cold:.2f} s")
    for prefix, (own, abbreviation, typos) in SEEDS.items():
        path = next(seeds_dir.glob(f"{prefix}_*.txt"))
        text = path.read_text(encoding="utf-8")
        words = thai_word_count(text)
        start = time.perf_counter()
        found = misspellings(text, own, lex)
        foreign = foreign_abbreviations(text, abbreviation, own, lex)
        elapsed = time.perf_counter() - start
        false = [m for m in found if m.word not in typos]
        true = {m.word: m.suggestions for m in found if m.word in typos}
        missed += [f"{prefix}:{t}" for t in typos if t not in true]
        wrong += [f"{prefix}:{t}→{s}" for t, s in typos.items() if t in true and s not in true[t]]
        total_words += words
        total_false += len(false)
        print(f"{prefix}: {words:5d} Thai words, {len(found)} warnings ({len(false)} false), "
              f"abbreviations {foreign}, {elapsed * 1000:.0f} ms")
        for m in found:
            print(f"      {'FALSE' if m in false else 'typo '} {m.word} → {', '.join(m.suggestions)}")
    rate = 1000 * total_false / total_words
    print(f"all seeds: {total_words} Thai words, {total_false} false warnings = {rate:.2f} per 1,000 words")
    print("known typos not flagged:", missed or "none")
    print("known typos flagged without the right suggestion:", wrong or "none")
    return 0 if rate <= 2 and not missed else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/seeds")))
