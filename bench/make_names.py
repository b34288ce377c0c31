"""A file of realistic counterparty names for batch benchmarks, the same every time (seeded).

    python bench/make_names.py 200000 names-200k.csv [--csl PATH] [--seed N]

About 10% are names from the Consolidated Screening List as they arrive in real files: with typos,
other case, changed or dropped legal forms, reordered words, dropped punctuation, abbreviations.
The rest are unlisted companies, people and universities built from word pools, with the generic
words (technology, university, trading, group) that make screening slow and noisy.
Columns: id, name, country, source (listed or unlisted, for reading the results).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSL = ROOT.parent / "shared" / "data" / "csl-2022-04" / "consolidated.csv.gz"
LISTED_SHARE = 0.10
SEED = 2022

PLACES = (
    "Shenzhen Dongguan Suzhou Ningbo Wuxi Xiamen Qingdao Tianjin Chengdu Hefei Foshan Zhuhai Hamburg Stuttgart "
    "Munich Lyon Milan Turin Osaka Nagoya Busan Incheon Pune Chennai Monterrey Curitiba Ohio Texas Carolina "
    "Ontario Bavaria Nordic Baltic Pacific Atlantic Alpine Northern Eastern Western Southern Central Coastal "
    "Rotterdam Antwerp Gdansk Porto Valencia Izmir Penang Cebu Haiphong Surabaya Durban Perth Auckland"
).split()
CORES = (
    "Bright Star|Evergreen|Harbor|Summit|Pioneer|Apex|Keystone|Riverside|Lotus|Phoenix|Orion|Meridian|Crescent|"
    "Sterling|Maple|Cedar|Granite|Falcon|Horizon|Vertex|Golden Bridge|Silver Lake|Blue Ocean|Green Valley|"
    "Red Rock|Sunrise|Northstar|Ironwood|Clearwater|Highland|Kingfisher|Lighthouse|Oakridge|Pinnacle|Quantum|"
    "Redwood|Sapphire|Trident|Unity|Westbrook|Zenith|Hengtai|Huaxin|Jinlong|Tianyu|Xinda|Yongsheng|Zhongtian|"
    "Dongfang|Hongda|Kaiyuan|Ruifeng|Shengda|Wanli|Hanse|Rheinland|Edelweiss|Sakura|Fuji|Hanil|Daesung|Tata Green|"
    "Shree Ganesh|Aurora|Atlas|Borealis|Cobalt|Delta|Eagle|Fortuna|Gemini|Helix|Indigo|Jade|Kestrel|Lumen|Nova"
).split("|")
INDUSTRIES = (
    "Electronics|Precision Machinery|Plastics|Logistics|Trading|Textiles|Chemicals|Optics|Semiconductor Equipment|"
    "Medical Devices|Auto Parts|Packaging|Software|Metal Products|Food Ingredients|Furniture|Instruments|"
    "Power Systems|Printing|Ceramics|Technology|Industrial|Engineering|Materials|Import and Export|"
    "Electric Appliance|Hydraulics|Bearings|Fasteners|Pharmaceutical|Biotech|Solar Energy|Battery|Cable and Wire|"
    "Robotics|Aerospace Components|Marine Equipment|Steel|Glass|Rubber|Paper|Garments|Toys|Lighting|Network"
).split("|")
LEGAL = {
    "CN": ("Co., Ltd.", "Company Limited", "Technology Co., Ltd.", "(Group) Co., Ltd.", "Trading Co., Ltd."),
    "DE": ("GmbH", "AG", "GmbH & Co. KG"), "US": ("Inc.", "LLC", "Corp.", "Corporation"), "GB": ("Ltd", "Limited", "PLC"),
    "FR": ("SARL", "SAS", "S.A."), "JP": ("K.K.", "Co., Ltd.", "Corporation"), "IT": ("S.p.A.", "S.r.l."),
    "BR": ("Ltda.", "S.A."), "IN": ("Pvt. Ltd.", "Private Limited"), "KR": ("Co., Ltd.", "Corp."),
    "MX": ("S.A. de C.V.",), "NL": ("B.V.", "N.V."), "SE": ("AB",), "TR": ("A.S.", "Ltd. Sti."), "AE": ("FZE", "LLC", "FZCO"),
}
FIRST = (
    "Wei Na Jing Min Lei Yan Jun Hui Xin Yong James Mary Robert Patricia John Jennifer Michael Linda David Sarah "
    "Thomas Anna Stefan Katrin Jurgen Monika Pierre Claire Luca Giulia Carlos Maria Jose Ana Sergey Elena Dmitry "
    "Olga Ivan Natalia Ahmed Fatima Mohammed Aisha Ali Leila Rahul Priya Amit Sunita Hiroshi Yuki Kenji Aiko "
    "Minjun Seoyeon Jiho Hana Mehmet Ayse Kwame Amara Lars Ingrid Piotr Agnieszka"
).split()
LAST = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Smith Johnson Williams "
    "Brown Jones Miller Davis Garcia Rodriguez Wilson Martinez Anderson Taylor Thomas Moore Muller Schmidt Schneider "
    "Fischer Weber Meyer Wagner Dubois Martin Bernard Rossi Russo Ferrari Fernandez Lopez Gonzalez Perez Ivanov "
    "Smirnov Kuznetsov Popov Petrov Khan Hussein Rahman Haddad Sharma Patel Singh Gupta Tanaka Suzuki Takahashi "
    "Watanabe Kim Lee Park Choi Yilmaz Kaya Mensah Okafor Andersson Nilsson Kowalski Nowak"
).split()
UNIVERSITY = (
    "University of {p}", "{p} University", "{p} University of Technology", "{p} Institute of Technology",
    "{p} Normal University", "{p} Polytechnic University", "Technical University of {p}", "{p} State University",
    "{p} Medical University", "{p} University of Science and Technology", "{p} Institute of Applied Physics",
    "{p} Academy of Fine Arts", "{p} Agricultural University", "{p} University of Finance and Economics",
)
CITIES = (
    "Beijing Shanghai Nanjing Wuhan Xian Harbin Hangzhou Chongqing Dalian Jinan Changsha Kunming Lanzhou Boston "
    "Chicago Denver Austin Seattle Manchester Leeds Glasgow Dresden Leipzig Aachen Delft Lund Uppsala Kyoto Tohoku "
    "Seoul Daejeon Bangalore Hyderabad Tehran Isfahan Moscow Novosibirsk Kazan Tomsk Minsk Kharkiv Ankara Cairo "
    "Lagos Nairobi Sydney Melbourne Toronto Montreal Lima Bogota Santiago Warsaw Prague Vienna Zurich Geneva"
).split()
COUNTRIES = list(LEGAL)
ABBREVIATIONS = {"University": "Univ.", "Institute": "Inst.", "Technology": "Tech.", "International": "Intl.",
                 "Company": "Co.", "Corporation": "Corp.", "Limited": "Ltd.", "Industrial": "Ind."}
LEGAL_WORDS = re.compile(
    r",?\s*\b(co\.?,?\s*ltd\.?|company limited|limited|ltd\.?|llc|inc\.?|corp\.?|corporation|gmbh|ag|jsc|oao|ooo|"
    r"pjsc|cjsc|s\.a\.|llp|plc|fze|fzco)\s*$", re.I)


def listed_names(csl: Path) -> list[tuple[str, str, bool]]:
    """(name, country, is_person) for every primary name and alias in the CSL."""
    out = []
    with gzip.open(csl, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            person = row["type"] == "Individual"
            country = row["addresses"][-2:] if re.search(r", [A-Z]{2}$", row["addresses"]) else ""
            for name in [row["name"], *row["alt_names"].split("; ")]:
                name = re.sub(r"^and ", "", name.strip())
                if 3 <= len(name) <= 120:
                    out.append((name, country, person))
    return out


def typo(rng: random.Random, name: str) -> str:
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return name
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]  # swap
    elif kind == 1:
        w = w[:j] + w[j + 1:]  # drop
    elif kind == 2:
        w = w[:j] + w[j] + w[j:]  # double
    else:
        w = w[:j] + rng.choice("aeiourstnl") + w[j + 1:]  # substitute
    words[i] = w
    return " ".join(words)


def variant(rng: random.Random, name: str, person: bool) -> str:
    """A listed name as a real file might spell it."""
    for _ in range(rng.choice((0, 1, 1, 2))):
        step = rng.randrange(6)
        if step == 0:
            name = rng.choice((str.upper, str.lower, str.title))(name)
        elif step == 1:
            name = typo(rng, name)
        elif step == 2 and not person:
            bare = LEGAL_WORDS.sub("", name)
            name = bare if rng.random() < 0.5 or bare == name else f"{bare} {rng.choice(LEGAL[rng.choice(COUNTRIES)])}"
        elif step == 3:
            if person and ", " in name:
                last, first = name.split(", ", 1)
                name = f"{first} {last.title()}"
            else:
                words = name.split()
                if len(words) >= 3:
                    i = rng.randrange(len(words) - 1)
                    words[i], words[i + 1] = words[i + 1], words[i]
                    name = " ".join(words)
        elif step == 4:
            name = re.sub(r"[.,()\"']", "", name)
        else:
            name = " ".join(ABBREVIATIONS.get(w, w) for w in name.split())
    return name


def unlisted(rng: random.Random) -> tuple[str, str]:
    kind = rng.random()
    country = rng.choice(COUNTRIES)
    if kind < 0.6:
        parts = [rng.choice(CORES), rng.choice(INDUSTRIES), rng.choice(LEGAL[country])]
        if rng.random() < 0.5:
            parts.insert(0, rng.choice(PLACES))
        return " ".join(parts), country
    if kind < 0.85:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if rng.random() < 0.3:
            return f"{last.upper()}, {first}", country
        middle = f" {rng.choice(FIRST)[0]}." if rng.random() < 0.2 else ""
        return f"{first}{middle} {last}", country
    return rng.choice(UNIVERSITY).format(p=rng.choice(CITIES)), country


def generate(rows: int, out: Path, *, csl: Path = CSL, seed: int = SEED) -> Path:
    rng = random.Random(seed)
    listed = listed_names(csl)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country", "source"])
        for i in range(1, rows + 1):
            if rng.random() < LISTED_SHARE:
                name, country, person = rng.choice(listed)
                writer.writerow([f"S{i:07d}", variant(rng, name, person), country if rng.random() < 0.7 else "", "listed"])
            else:
                name, country = unlisted(rng)
                writer.writerow([f"S{i:07d}", name, country if rng.random() < 0.7 else "", "unlisted"])
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--csl", type=Path, default=CSL)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    generate(args.rows, args.output, csl=args.csl, seed=args.seed)
    print(f"wrote {args.rows:,} names to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
