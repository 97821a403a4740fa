"""Every Cypher query stancegraph runs, as module-level constants.

The shape of the graph they read and write (labels, properties, relationships, indexes) is
described once, in docs/neo4j.md; tests/test_neo4j_docs.py checks that page against a graph
the loader wrote, so the description cannot drift from these queries.

Labels cannot be parameters: the entity writes that need them are built by `entity_write_query` /
`entity_create_query` from the vocabulary (validated PascalCase labels), never from user input.
The claim writes take the direct relationship's type from the row (`$(row.rel_type)`, Cypher
5.26's dynamic types), which the loader fills from the vocabulary only (validated UPPER_SNAKE
types, see `check_rel_type`). Everything else is a constant here.
"""

from __future__ import annotations

from collections.abc import Iterable

from stancegraph.graph.store import MAX_HOPS
from stancegraph.schema.vocabulary import NEO4J_LABEL, NEO4J_REL_TYPE

OUR_LABELS = ("Entity", "Name", "Source", "Claim", "Evidence")
# The node properties Neo4j cannot hold as they are (maps, or maps in lists), by label: the loader
# stores them as canonical JSON strings, and what reads nodes back (user Cypher's results) parses
# exactly these.
JSON_PROPERTIES: dict[str, frozenset[str]] = {
    "Entity": frozenset({"properties", "aliases_by_language"}),
    "Claim": frozenset({"qualifiers", "properties", "valid"}),
    "Evidence": frozenset({"values"}),
}

ENTITY_FULLTEXT = "entity_names"
NAME_FULLTEXT = "name_keys"
FUZZY_EXPANSIONS = 50  # Lucene FuzzyQuery's default maxExpansions, which Neo4j's query parser keeps

# --- schema ---------------------------------------------------------------------------------------

SCHEMA = (
    "DROP INDEX name_grams IF EXISTS",  # the fuzzy-search index of name format 2, replaced by name_keys
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT name_id IF NOT EXISTS FOR (n:Name) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (n:Claim) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (n:Evidence) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX name_key IF NOT EXISTS FOR (n:Name) ON (n.key)",
    "CREATE TEXT INDEX name_key_text IF NOT EXISTS FOR (n:Name) ON (n.key)",
    "CREATE INDEX claim_date_start IF NOT EXISTS FOR (n:Claim) ON (n.date_start)",
    # Valid and known time (graph.window.admits): as_of and known_by filters, timelines, switches.
    "CREATE INDEX claim_valid_from IF NOT EXISTS FOR (n:Claim) ON (n.valid_from)",
    "CREATE INDEX claim_valid_order IF NOT EXISTS FOR (n:Claim) ON (n.valid_order)",
    "CREATE INDEX claim_known_from IF NOT EXISTS FOR (n:Claim) ON (n.known_from)",
    "CREATE INDEX claim_reversed IF NOT EXISTS FOR (n:Claim) ON (n.reversed)",
    f"CREATE FULLTEXT INDEX {ENTITY_FULLTEXT} IF NOT EXISTS FOR (n:Entity) "
    "ON EACH [n.name_en, n.name_zh, n.aliases] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
    "CREATE INDEX name_length IF NOT EXISTS FOR (n:Name) ON (n.length)",
    f"CREATE FULLTEXT INDEX {NAME_FULLTEXT} IF NOT EXISTS FOR (n:Name) "
    "ON EACH [n.key] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
)
AWAIT_INDEXES = "CALL db.awaitIndexes(300)"
SHOW_CONSTRAINTS = (
    "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties RETURN name, labelsOrTypes, properties"
)

# --- loading --------------------------------------------------------------------------------------

EXISTING_HASHES = {
    label: f"MATCH (n:{label}) RETURN n.id AS id, n.hash AS hash" for label in ("Source", "Entity", "Claim")
}

WRITE_SOURCES = """
UNWIND $rows AS row
MERGE (s:Source {id: row.props.id})
SET s = row.props
"""

# An entity's :Name nodes, once `n` and `row` are bound.
_ENTITY_NAMES = """
WITH n, row
UNWIND row.names AS name
CREATE (:Name {{id: row.props.id + ':' + name.name, key: name.key, name: name.name, entity: row.props.id,
               length: name.length}})
       -[:NAME_OF]->(n)
"""

_ENTITY_WRITE = (
    """
UNWIND $rows AS row
MERGE (n:Entity {{id: row.props.id}})
REMOVE n{all_labels}
SET n:{label}
SET n = row.props
WITH n, row
CALL (n) {{
  OPTIONAL MATCH (n)<-[:NAME_OF]-(old:Name)
  DETACH DELETE old
}}"""
    + _ENTITY_NAMES
)

# Creates (ids the database does not hold yet, as the load's plan found): nothing to clean up.
_ENTITY_CREATE = (
    """
UNWIND $rows AS row
CREATE (n:Entity:{label})
SET n = row.props"""
    + _ENTITY_NAMES
)

# A claim's ends, direct relationship and evidence, once `c`, `s`, `o` and `row` are bound. The
# direct relationship's type is `row.rel_type`, the vocabulary's `predicates.<predicate>.neo4j`
# (the loader checks it against the vocabulary): one query, so one plan and full batches for every
# predicate, instead of a query per relationship type (~0.7 s of planning each on a fresh server).
_CLAIM_ATTACH = """
CREATE (c)-[:SUBJECT]->(s), (c)-[:OBJECT]->(o)
CREATE (s)-[r:$(row.rel_type)]->(o)
SET r = row.rel
FOREACH (_ IN CASE WHEN row.conflicted THEN [1] ELSE [] END | SET c:Conflicted)
WITH c, row
CALL (c, row) {
  UNWIND row.evidence AS ev
  MATCH (src:Source {id: ev.source})
  CREATE (c)-[:HAS_EVIDENCE]->(e:Evidence)-[:FROM]->(src)
  SET e = ev
  WITH e, ev
  MATCH (who:Entity {id: ev.speaker_entity})
  CREATE (e)-[:SPOKEN_BY]->(who)
}
"""

# Creates (ids the database does not hold yet, as the load's plan found): nothing to clean up.
CREATE_CLAIMS = (
    """
UNWIND $rows AS row
MATCH (s:Entity {id: row.props.subject}), (o:Entity {id: row.props.object})
CREATE (c:Claim)
SET c = row.props"""
    + _CLAIM_ATTACH
)

# Updates: the claim's direct relationship is found between its two ends (expand-into, so a hub's
# thousands of other relationships are not scanned).
WRITE_CLAIMS = (
    """
UNWIND $rows AS row
MERGE (c:Claim {id: row.props.id})
WITH c, row
CALL (c) {
  OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity), (c)-[:OBJECT]->(o:Entity)
  OPTIONAL MATCH (s)-[r]-(o) WHERE r.claim_id = c.id
  DELETE r
}
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_EVIDENCE]->(old:Evidence)
  DETACH DELETE old
}
CALL (c) {
  OPTIONAL MATCH (c)-[end:SUBJECT|OBJECT]->()
  DELETE end
}
REMOVE c:Conflicted
SET c = row.props
WITH c, row
MATCH (s:Entity {id: row.props.subject}), (o:Entity {id: row.props.object})"""
    + _CLAIM_ATTACH
)

DELETE_CLAIMS = """
UNWIND $ids AS id
MATCH (c:Claim {id: id})
OPTIONAL MATCH (c)-[:SUBJECT]->(:Entity)-[r {claim_id: id}]-(:Entity)
DELETE r
WITH DISTINCT c
OPTIONAL MATCH (c)-[:HAS_EVIDENCE]->(e:Evidence)
DETACH DELETE e
WITH DISTINCT c
DETACH DELETE c
"""

DELETE_ENTITIES = """
UNWIND $ids AS id
MATCH (n:Entity {id: id})
OPTIONAL MATCH (n)<-[:NAME_OF]-(name:Name)
DETACH DELETE name
WITH DISTINCT n
DETACH DELETE n
"""

DELETE_SOURCES = """
UNWIND $ids AS id
MATCH (s:Source {id: id})
DETACH DELETE s
"""

DELETE_ORPHANS = """
CALL { MATCH (n:Name) WHERE NOT (n)-[:NAME_OF]->(:Entity) DETACH DELETE n RETURN count(*) AS names }
CALL {
  MATCH (e:Evidence) WHERE NOT (:Claim)-[:HAS_EVIDENCE]->(e) DETACH DELETE e RETURN count(*) AS evidence
}
RETURN names, evidence
"""


def entity_write_query(label: str, all_labels: Iterable[str]) -> str:
    """The entity upsert for one kind label (labels come from the vocabulary only)."""
    labels = sorted(set(all_labels) | {label})
    for name in labels:
        if not NEO4J_LABEL.match(name):
            raise ValueError(f"{name!r} is not a PascalCase label")
    return _ENTITY_WRITE.format(all_labels="".join(f":{name}" for name in labels), label=label)


def entity_create_query(label: str) -> str:
    """The entity create (for ids not in the database yet) for one kind label."""
    if not NEO4J_LABEL.match(label):
        raise ValueError(f"{label!r} is not a PascalCase label")
    return _ENTITY_CREATE.format(label=label)


def check_rel_type(rel_type: str) -> str:
    """`rel_type` if it is an UPPER_SNAKE relationship type (the claim writes take the type from
    the row: the loader passes only the vocabulary's types, and checks them here)."""
    if not NEO4J_REL_TYPE.match(rel_type):
        raise ValueError(f"{rel_type!r} is not an UPPER_SNAKE relationship type")
    return rel_type


# Benchmarks only, on a server of their own: every node, ours or not (the loader never does this).
DELETE_EVERYTHING = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"

# --- reading --------------------------------------------------------------------------------------

_REF = "{.id, .kind, .name_en, .name_zh}"


def _admits(x: str) -> str:
    """graph.window.admits in Cypher, for a claim node or relationship `x` (every claim's
    relationship carries the same valid_from, valid_until and known_from as its node)."""
    return (
        f"($as_of IS NULL OR ({x}.valid_from <= $as_of AND ($known_by IS NOT NULL "
        f"OR {x}.valid_until IS NULL OR $as_of < {x}.valid_until))) "
        f"AND ($known_by IS NULL OR {x}.known_from <= $known_by)"
    )


# A claim node `c` as a map the store turns into a ClaimView.
_CLAIM_MAP = (
    "c {.*, subject_ref: [(c)-[:SUBJECT]->(s:Entity) | s " + _REF + "][0], "
    "object_ref: [(c)-[:OBJECT]->(o:Entity) | o " + _REF + "][0], "
    "evidence: [(c)-[:HAS_EVIDENCE]->(v:Evidence) | v {.*}]}"
)

STATS = """
CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
CALL () { MATCH (c:Claim) RETURN count(c) AS claims }
CALL () { MATCH (v:Evidence) RETURN count(v) AS evidence }
CALL () { MATCH (s:Source) RETURN count(s) AS sources }
CALL () { MATCH (e:Entity) WITH e.kind AS k, count(*) AS n RETURN collect([k, n]) AS kinds }
CALL () { MATCH (c:Claim) WITH c.predicate AS p, count(*) AS n RETURN collect([p, n]) AS predicates }
RETURN entities, claims, evidence, sources, kinds, predicates
"""

HAS_ENTITY = "MATCH (e:Entity {id: $id}) RETURN count(e) > 0 AS found"

# Queries about given entities say in the same answer whether they exist, so a request is one
# round trip: those about one entity MATCH it first and return no row when it does not exist (an
# entity without answers still gives one row, of nulls, from OPTIONAL CALL); those about two
# return `a_found` and `b_found` on every row.

_STANCE_PAIRS = """
  MATCH (other:Entity)-[r]->(e) WHERE r.polarity = $sign AND r.claim_id IS NOT NULL
  RETURN other, r.claim_id AS cid
  UNION
  MATCH (e)-[r]->(other:Entity) WHERE r.polarity = $sign AND r.predicate IN $symmetric
  RETURN other, r.claim_id AS cid
"""

ENTITY = """
MATCH (e:Entity {id: $id})
OPTIONAL CALL (e) {
  MATCH (other:Entity)-[r]->(e) WHERE r.claim_id IS NOT NULL
  RETURN other, r.polarity AS polarity
  UNION
  MATCH (e)-[r]->(other:Entity) WHERE r.predicate IN $symmetric
  RETURN other, r.polarity AS polarity
}
WITH e, count(DISTINCT CASE WHEN polarity = 1 THEN other END) AS supporters,
        count(DISTINCT CASE WHEN polarity = -1 THEN other END) AS opponents
RETURN e {.*} AS entity, supporters, opponents, COUNT { (e)<-[:SUBJECT|OBJECT]-(:Claim) } AS claims
"""

# Candidates for graph.search.rank, best first, as the embedded index gathers them: every name
# containing the key (the text index), prefixes (tier 0) then the rest (tier 1), each by
# length, then the names holding every one of $words (tier 2; the text index finds the longest,
# $words[0]; empty for a query of one word), then the names Lucene's fuzzy query finds within
# the edit budget (tier 3; $fuzzy is the escaped `key~edits`, or null). The store stops
# reading once the page's entities are found.
# The first row (tier -1) carries how many keys the fuzzy query returned in `length`: Lucene
# expands a fuzzy query to at most FUZZY_EXPANSIONS keys, and then the store asks
# SEARCH_FUZZY_PIECES for the complete set.
SEARCH = (
    """
CALL () {
  WITH $fuzzy AS q WHERE q IS NOT NULL
  CALL db.index.fulltext.queryNodes('"""
    + NAME_FULLTEXT
    + """', q) YIELD node
  RETURN collect(node) AS fuzzy, count(DISTINCT node.key) AS fuzzy_keys
}
CALL (fuzzy, fuzzy_keys) {
  RETURN -1 AS tier, fuzzy_keys AS length, null AS n
  UNION ALL
  MATCH (n:Name) WHERE n.key CONTAINS $key
  RETURN CASE WHEN n.key STARTS WITH $key THEN 0 ELSE 1 END AS tier, n.length AS length, n
  UNION ALL
  WITH $words[0] AS longest WHERE longest IS NOT NULL
  MATCH (n:Name) WHERE n.key CONTAINS longest
    AND NOT n.key CONTAINS $key AND all(word IN $words WHERE n.key CONTAINS word)
  RETURN 2 AS tier, n.length AS length, n
  UNION ALL
  UNWIND fuzzy AS n
  RETURN 3 AS tier, n.length AS length, n
}
OPTIONAL MATCH (n)-[:NAME_OF]->(e:Entity)
WITH tier, length, n, e
WHERE tier = -1 OR (e IS NOT NULL AND ($kind IS NULL OR e.kind = $kind))
RETURN tier, length, e """
    + _REF
    + """ AS entity, n.name AS name, n.key AS key
ORDER BY tier, length
"""
)

# Every name that could be within the edit budget: it holds one of the key's pieces unchanged
# (graph.search.pieces) and its length is in [$lo, $hi].
SEARCH_FUZZY_PIECES = (
    """
UNWIND $pieces AS piece
MATCH (n:Name) WHERE n.key CONTAINS piece AND $lo <= n.length <= $hi
WITH DISTINCT n
MATCH (n)-[:NAME_OF]->(e:Entity)
WHERE $kind IS NULL OR e.kind = $kind
RETURN e """
    + _REF
    + """ AS entity, n.name AS name, n.key AS key
"""
)

LIST_ENTITIES = (
    """
MATCH (e:Entity)
WHERE e.id > coalesce($after, '') AND ($kind IS NULL OR e.kind = $kind)
RETURN e """
    + _REF
    + """ AS entity
ORDER BY e.id
LIMIT $limit
"""
)

STANCE = (
    """
MATCH (e:Entity {id: $id})
OPTIONAL CALL (e) {
  CALL (e) {"""
    + _STANCE_PAIRS
    + """}
  MATCH (c:Claim {id: cid})
  RETURN other """
    + _REF
    + """ AS entity, collect("""
    + _CLAIM_MAP
    + """) AS claims
}
RETURN entity, claims
"""
)

CLAIMS_BY_ID = (
    """
UNWIND $ids AS id
MATCH (c:Claim {id: id})
RETURN """
    + _CLAIM_MAP
    + """ AS claim
"""
)

# The entities and the source a filter names must exist: every row says whether they do (and
# when one does not, there is one row and no claim).
_CLAIMS = (
    """
WITH $subject IS NULL OR EXISTS { (:Entity {id: $subject}) } AS subject_found,
     $object IS NULL OR EXISTS { (:Entity {id: $object}) } AS object_found,
     $entity IS NULL OR EXISTS { (:Entity {id: $entity}) } AS entity_found,
     $source IS NULL OR EXISTS { (:Source {id: $source}) } AS source_found
OPTIONAL CALL (subject_found, object_found, entity_found, source_found) {
  WITH * WHERE subject_found AND object_found AND entity_found AND source_found
  MATCH (c:Claim)
  WHERE c.id > coalesce($after, '')
    AND ($subject IS NULL OR c.subject = $subject)
    AND ($object IS NULL OR c.object = $object)
    AND ($entity IS NULL OR $entity IN [c.subject, c.object])
    AND ($outlet IS NULL OR $outlet IN c.outlets)
    AND ($conflicted IS NULL OR ($conflicted = 'any' AND c.conflicts <> [])
         OR $conflicted IN c.conflicts)
    AND ($predicate IS NULL OR c.predicate = $predicate)
    AND ($polarity IS NULL OR c.polarity = $polarity)
    AND ($certainty IS NULL OR c.certainty = $certainty)
    AND ($min_sources IS NULL OR c.sources >= $min_sources)
    AND ($max_sources IS NULL OR c.sources <= $max_sources)
    AND ($source IS NULL OR EXISTS { (c)-[:HAS_EVIDENCE]->(:Evidence {source: $source}) })
    AND ($since IS NULL OR c.date_end >= date($since))
    AND ($until IS NULL OR c.date_start <= date($until))
    AND """
    + _admits("c")
    + """
  WITH c ORDER BY c.id LIMIT $limit
  RETURN """
    + _CLAIM_MAP
    + """ AS claim
}
RETURN subject_found, object_found, entity_found, source_found, claim
"""
)
CLAIMS = _CLAIMS
# Claims whose sources disagree carry the label Conflicted (the loader keeps it): listing them
# reads only them, however large the graph.
CONFLICTED_CLAIMS = _CLAIMS.replace("MATCH (c:Claim)\n", "MATCH (c:Claim:Conflicted)\n")

# Listings in a time window few claims can be in. CLAIMS reads claims in id order until its page
# is full, which for a window that holds none reads every claim; so the store first counts, up to
# WINDOW_FEW, the claims the window's range index admits (valid_from for as_of, else known_from:
# what graph.window.admits requires), and when there are fewer it lists from that index.
WINDOW_FEW = 2000
_WINDOW_BOUND = {"valid_from": "$as_of", "known_from": "$known_by"}
WINDOW_ADMITS = {
    prop: f"MATCH (c:Claim) WHERE c.{prop} <= {bound} WITH c LIMIT $few RETURN count(c) AS admitted"
    for prop, bound in _WINDOW_BOUND.items()
}
CLAIMS_FROM_WINDOW = {
    (prop, conflicted): query.replace(
        "\n  WHERE c.id > coalesce($after, '')\n",
        f"\n  USING INDEX c:Claim({prop})\n  WHERE c.{prop} <= {bound} AND c.id > coalesce($after, '')\n",
    )
    for prop, bound in _WINDOW_BOUND.items()
    for conflicted, query in ((False, CLAIMS), (True, CONFLICTED_CLAIMS))
}

# A source's record without its text (the text is read only by SOURCE_TEXT).
_SOURCE_MAP = "s {.*, text: null}"

SOURCES_BY_ID = (
    """
UNWIND $ids AS id
MATCH (s:Source {id: id})
RETURN """
    + _SOURCE_MAP
    + """ AS source
"""
)

SOURCE_TEXT = """
OPTIONAL MATCH (s:Source {id: $id})
RETURN s IS NOT NULL AS found, s.text AS text
"""

# Both ends, found or not (a null end matches nothing below).
_ENDS = """
OPTIONAL MATCH (x:Entity {id: $a})
OPTIONAL MATCH (y:Entity {id: $b})
"""

BETWEEN = (
    _ENDS
    + """OPTIONAL CALL (x, y) {
  MATCH (x)-[r]-(y) WHERE r.claim_id IS NOT NULL
  MATCH (c:Claim {id: r.claim_id})
  RETURN """
    + _CLAIM_MAP
    + """ AS claim
}
RETURN x IS NOT NULL AS a_found, y IS NOT NULL AS b_found, claim
"""
)

_PATHS = (
    _ENDS
    + """OPTIONAL CALL (x, y) {
  MATCH p = allShortestPaths((x)-[*..HOPS]-(y))
  WHERE all(r IN relationships(p) WHERE r.claim_id IS NOT NULL AND """
    + _admits("r")
    + """)
  WITH DISTINCT nodes(p) AS ns
  WITH ns, [n IN ns | n.id] AS ids
  ORDER BY ids
  LIMIT $limit
  UNWIND range(0, size(ns) - 2) AS i
  WITH ns, i, ns[i] AS u, ns[i + 1] AS w
  MATCH (u)-[r]-(w) WHERE r.claim_id IS NOT NULL AND """
    + _admits("r")
    + """
  MATCH (c:Claim {id: r.claim_id})
  WITH ns, i, collect("""
    + _CLAIM_MAP
    + """) AS hop
  WITH ns, collect({i: i, claims: hop}) AS hops
  RETURN [n IN ns | n """
    + _REF
    + """] AS nodes, hops
}
RETURN x IS NOT NULL AS a_found, y IS NOT NULL AS b_found, nodes, hops
"""
)
# Variable-length bounds cannot be parameters: one constant per allowed max_hops.
PATHS = {hops: _PATHS.replace("HOPS", str(hops)) for hops in range(1, MAX_HOPS + 1)}

# The neighbourhood is a breadth-first walk, one query per layer in one read transaction, with the
# frontier and the nodes already seen passed as parameters. (Unrolled into one query, those lists
# sit in every row, and Neo4j's memory accounting charges them once per row: depth 2 around a hub
# of a 20k-claim graph asked for more than 256 MiB.) Each layer keeps its $cap smallest ids, so the
# walk stops at `limit` + 1 nodes: farther and larger ones would sort after those kept anyway.
NEIGHBOUR_LAYER = (
    """
UNWIND $frontier AS id
MATCH (:Entity {id: id})-[r]-(m:Entity) WHERE r.claim_id IS NOT NULL AND NOT m.id IN $seen AND """
    + _admits("r")
    + """
WITH DISTINCT m.id AS id ORDER BY id LIMIT $cap
RETURN collect(id) AS ids
"""
)

NEIGHBORHOOD = (
    """
UNWIND $kept AS k
MATCH (n:Entity {id: k.id})
WITH collect(n {.id, .kind, .name_en, .name_zh, aliases: coalesce(n.aliases, []),
                .aliases_by_language, distance: k.distance}) AS nodes
RETURN nodes,
       COLLECT {
         UNWIND $ids AS id
         MATCH (:Entity {id: id})-[r]->(m:Entity) WHERE r.claim_id IS NOT NULL AND m.id IN $ids
           AND """
    + _admits("r")
    + """
         MATCH (c:Claim {id: r.claim_id})
         RETURN c {.id, .subject, .object, .predicate, .relationship, .polarity, .certainty, .date,
                   .evidence_count}
       } AS links
"""
)

TIMELINE_ALL = (
    """
MATCH (c:Claim) WHERE """
    + _admits("c")
    + """
WITH c ORDER BY c.valid_order IS NULL, c.valid_order, c.valid_from, c.id LIMIT $limit
RETURN """
    + _CLAIM_MAP
    + """ AS claim
"""
)

TIMELINE_ENTITY = (
    """
MATCH (e:Entity {id: $id})
OPTIONAL CALL (e) {
  MATCH (e)<-[:SUBJECT|OBJECT]-(c:Claim) WHERE """
    + _admits("c")
    + """
  WITH DISTINCT c ORDER BY c.valid_order IS NULL, c.valid_order, c.valid_from, c.id LIMIT $limit
  RETURN """
    + _CLAIM_MAP
    + """ AS claim
}
RETURN claim
"""
)

# The claims of the pairs on which a stance was reversed (`reversed` marks the claims a later
# claim of the opposite sign ended, see schema.validtime), with or without one entity at an end.
_TURNED_PAIRS = """
WITH DISTINCT t.subject AS a, t.object AS b
MATCH (:Entity {id: a})-[r]-(:Entity {id: b}) WHERE r.claim_id IS NOT NULL
MATCH (c:Claim {id: r.claim_id})
WITH DISTINCT c
RETURN """
TURNING_ALL = "MATCH (t:Claim) WHERE t.reversed = true" + _TURNED_PAIRS + _CLAIM_MAP + " AS claim"
TURNING_ENTITY = (
    """
MATCH (e:Entity {id: $id})
OPTIONAL CALL (e) {
  MATCH (e)<-[:SUBJECT|OBJECT]-(t:Claim) WHERE t.reversed = true"""
    + _TURNED_PAIRS
    + _CLAIM_MAP
    + """ AS claim
}
RETURN claim
"""
)

SOURCES = (
    """
MATCH (s:Source)
WHERE $id IS NULL OR s.id = $id
RETURN """
    + _SOURCE_MAP
    + """ AS source,
       size(COLLECT {
         MATCH (s)<-[:FROM]-(:Evidence)<-[:HAS_EVIDENCE]-(c:Claim) RETURN DISTINCT c.id
       }) AS claims,
       COUNT { (s)<-[:FROM]-(:Evidence) } AS evidence
ORDER BY s.id
"""
)

SNAPSHOT = (
    """
MATCH (s:Source) RETURN 'source' AS what, s {.*} AS data
UNION ALL
MATCH (e:Entity) RETURN 'entity' AS what, e {.*} AS data
UNION ALL
MATCH (c:Claim) RETURN 'claim' AS what, """
    + _CLAIM_MAP
    + """ AS data
"""
)

# --- derived properties -----------------------------------------------------------------------------

# The camps of `stancegraph coalitions --write` (graph.camps.write_camps), in one transaction:
# the last split's properties go, then each row's actor gets its camp (0 or 1) and the day the
# split is for (null: every claim). Actors in no camp keep neither property.
WRITE_CAMPS = """
OPTIONAL MATCH (old:Entity) WHERE old.camp IS NOT NULL
SET old.camp = null, old.camp_as_of = null
WITH count(old) AS cleared
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
SET e.camp = row.camp, e.camp_as_of = date($as_of)
RETURN count(e) AS written
"""
