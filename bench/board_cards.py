"""A realistic group board for the budget benchmark: French field notes of varying lengths, kinds,
tags, visits and actors met, spread over the zones of the "territory" template, each zone's cards
ordered by fractional keys (the `fractional-indexing` package the server uses).

Deterministic for a given seed, so that every run measures the same board.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from typing import Any

from fractional_indexing import generate_n_keys_between

KINDS = ("note", "observation", "quote", "question", "idea")
KIND_WEIGHTS = (40, 25, 12, 12, 11)
COLOURS = ("yellow", "orange", "pink", "purple", "blue", "green")
DIMENSIONS = ("politique", "économique", "sociale", "environnementale")
FREE_TAGS = (
    "port",
    "emploi",
    "formation",
    "logement",
    "mobilité",
    "énergie",
    "industrie",
    "agriculture",
    "tourisme",
    "numérique",
    "foncier",
    "jeunes",
    "coopération",
    "patrimoine",
    "eau",
    "santé",
)
# Zones of the territory template (collab.board_templates), with the share of cards in each.
ZONE_WEIGHTS = {
    "inbox": 22,
    "actors": 16,
    "resources": 14,
    "drivers": 13,
    "resistances": 12,
    "expectations": 11,
    "innovation": 12,
}
ACTORS = (
    "Maire de Montceau-les-Mines",
    "Directrice de la coopérative",
    "Président de la communauté urbaine",
    "Chargé de mission développement économique",
    "Responsable RH de l'usine",
    "Agricultrice bio",
    "Directeur du port de Sète",
    "Élu à la Région",
    "Animatrice du tiers-lieu",
    "Chef d'entreprise (PME)",
    "Proviseur du lycée professionnel",
    "Association de pêcheurs",
    "Chercheuse à l'université",
    "Syndicat mixte du bassin",
    "Habitant rencontré au marché",
    "Directrice de l'office de tourisme",
)

SUBJECTS = (
    "Le site industriel",
    "La communauté urbaine",
    "Le port",
    "La coopérative agricole",
    "Le tiers-lieu",
    "L'ancienne friche minière",
    "Le lycée professionnel",
    "La zone d'activités",
    "Le conseil de développement",
    "Le pôle de compétitivité",
    "La filière conchylicole",
    "Le réseau des entreprises locales",
    "L'agglomération",
    "La mairie",
    "Le centre de formation",
    "La plateforme logistique",
)
VERBS = (
    "accueille désormais",
    "peine à attirer",
    "mise sur",
    "a perdu",
    "cherche à développer",
    "finance en partie",
    "s'appuie sur",
    "redoute",
    "veut relancer",
    "coordonne",
    "a créé",
    "compte sur",
    "mutualise",
    "expérimente",
)
OBJECTS = (
    "une quarantaine d'entreprises issues de l'essaimage",
    "les jeunes diplômés de la région",
    "la reconversion des anciens sites",
    "près de 1 200 emplois en dix ans",
    "une offre de logement adaptée",
    "les circuits courts et la vente directe",
    "un partenariat avec l'université de Bourgogne",
    "la transition énergétique du port",
    "les savoir-faire de la métallurgie",
    "les financements européens",
    "une navette entre la gare et la zone d'activités",
    "la formation des apprentis en alternance",
    "le foncier disponible en bord de canal",
    "la fermeture de la dernière usine du bassin",
    "l'accueil de nouveaux habitants",
    "les liens avec les métropoles de Lyon et Dijon",
)
CLAUSES = (
    "selon les personnes rencontrées",
    "depuis la fermeture des mines",
    "grâce à un soutien de la Région",
    "malgré des tensions entre communes",
    "avec l'appui des chambres consulaires",
    "sans vraie stratégie commune",
    "au prix de longues négociations",
    "d'après le directeur du site",
    "à l'échelle du bassin de vie",
    "en lien avec les associations locales",
)
QUOTES = (
    "On a appris à travailler ensemble quand on n'avait plus le choix.",
    "Ici, tout le monde se connaît : c'est une force et parfois un frein.",
    "Les jeunes partent à Lyon, mais certains reviennent créer leur entreprise.",
    "Le port, c'est notre poumon, mais il faut qu'il respire autrement.",
    "Sans les élus, rien ne se fait ; avec eux, tout prend du temps.",
    "Nous avons transformé une contrainte en savoir-faire exportable.",
    "La friche, c'était une cicatrice ; maintenant c'est une vitrine.",
)
QUESTIONS = (
    "Qui porte vraiment le projet à l'échelle du territoire ?",
    "Comment la coopérative finance-t-elle ses investissements ?",
    "Quelle place pour les habitants dans les décisions ?",
    "Le modèle est-il transposable à Port-la-Nouvelle ?",
    "Que deviennent les salariés après la reconversion ?",
    "Quels indicateurs pour mesurer l'attractivité retrouvée ?",
    "Pourquoi les entreprises restent-elles malgré l'éloignement des métropoles ?",
)
IDEAS = (
    "Proposer un forum annuel des entreprises issues de l'essaimage.",
    "Relier le tiers-lieu et le lycée professionnel par des projets d'élèves.",
    "Créer une marque territoriale commune aux deux bassins.",
    "Mutualiser un poste de chargé de mission entre les communes.",
    "Ouvrir les ateliers de l'usine au public lors des journées du patrimoine.",
)


def _sentence(rng: random.Random) -> str:
    sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        sentence += f", {rng.choice(CLAUSES)}"
    return sentence + "."


def _text(rng: random.Random, kind: str) -> str:
    """One to a dozen sentences: most notes are short, a few are long enough to be folded."""
    roll = rng.random()
    if roll < 0.5:
        count = 1
    elif roll < 0.85:
        count = rng.randint(2, 3)
    elif roll < 0.97:
        count = rng.randint(4, 6)
    else:
        count = rng.randint(8, 12)
    parts = [_sentence(rng) for _ in range(count)]
    if kind == "quote":
        parts[0] = f"« {rng.choice(QUOTES)} »"
    elif kind == "question":
        parts[-1] = rng.choice(QUESTIONS)
    elif kind == "idea":
        parts[0] = rng.choice(IDEAS)
    # Some long notes are written as paragraphs.
    text = ("\n" if count >= 4 and rng.random() < 0.5 else " ").join(parts)
    return text[:2000]


def board_cards(count: int, visit_ids: list[str], seed: int = 2017) -> list[dict[str, Any]]:
    """`count` card.create payloads (with ids chosen here, as clients do), zones and positions set."""
    rng = random.Random(seed)
    zones = rng.choices(list(ZONE_WEIGHTS), weights=list(ZONE_WEIGHTS.values()), k=count)
    per_zone = Counter(zones)
    keys = {zone: iter(generate_n_keys_between(None, None, n)) for zone, n in per_zone.items()}
    cards = []
    for zone in zones:
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        tags = rng.sample(DIMENSIONS, k=rng.choice((0, 1, 1, 2, 3)))
        tags += rng.sample(FREE_TAGS, k=rng.choice((0, 0, 1, 2)))
        card: dict[str, Any] = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "text": _text(rng, kind),
            "kind": kind,
            "colour": rng.choice(COLOURS),
            "zone": zone,
            "position": next(keys[zone]),
            "tags": tags,
        }
        if visit_ids and rng.random() < 0.85:
            card["visit_id"] = rng.choice(visit_ids)
        if zone == "actors" or rng.random() < 0.25:
            card["actor"] = rng.choice(ACTORS)
        cards.append(card)
    return cards


def describe(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """What the board holds: counts by zone and kind, text lengths."""
    lengths = sorted(len(c["text"]) for c in cards)
    return {
        "cards": len(cards),
        "by_zone": dict(Counter(c["zone"] for c in cards)),
        "by_kind": dict(Counter(c["kind"] for c in cards)),
        "text_chars": {
            "min": lengths[0],
            "median": lengths[len(lengths) // 2],
            "max": lengths[-1],
            "over_420_folded": sum(1 for n in lengths if n > 420),
        },
        "with_actor": sum(1 for c in cards if c.get("actor")),
        "with_visit": sum(1 for c in cards if c.get("visit_id")),
        "with_tags": sum(1 for c in cards if c["tags"]),
    }
