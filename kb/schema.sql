-- grove knowledge base, SQLite backend. Idempotent: run on every open.
-- A domain's parent_id is '' (not NULL) so the unique (client_id, parent_id, slug) holds for
-- domains too: SQLite treats NULLs as distinct in unique indexes.

CREATE TABLE IF NOT EXISTS knowledge_tree (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL CHECK (client_id <> ''),
    parent_id   TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL CHECK (level IN ('domain', 'skill', 'entry_group')),
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL CHECK (slug <> ''),
    description TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS by_clientId_and_parentId ON knowledge_tree (client_id, parent_id);
CREATE UNIQUE INDEX IF NOT EXISTS by_clientId_and_parentId_and_slug
    ON knowledge_tree (client_id, parent_id, slug);
CREATE INDEX IF NOT EXISTS by_clientId_and_level ON knowledge_tree (client_id, level);

-- Exactly three levels: a domain has no parent, a skill sits under a domain, an entry group
-- under a skill, all of one client. Nothing sits under an entry group.
CREATE TRIGGER IF NOT EXISTS knowledge_tree_level BEFORE INSERT ON knowledge_tree
WHEN NOT (
    (new.level = 'domain' AND new.parent_id = '')
    OR (new.level = 'skill' AND EXISTS (SELECT 1 FROM knowledge_tree p WHERE p.id = new.parent_id
        AND p.client_id = new.client_id AND p.level = 'domain'))
    OR (new.level = 'entry_group' AND EXISTS (SELECT 1 FROM knowledge_tree p
        WHERE p.id = new.parent_id AND p.client_id = new.client_id AND p.level = 'skill'))
)
BEGIN
    SELECT RAISE(ABORT, 'grove-level: parent is not the level above');
END;
CREATE TRIGGER IF NOT EXISTS knowledge_tree_fixed BEFORE UPDATE OF id, client_id, parent_id, level, slug
ON knowledge_tree
BEGIN
    SELECT RAISE(ABORT, 'grove-level: a node keeps its place; only name and description change');
END;

CREATE TABLE IF NOT EXISTS knowledge_entries (
    pk           INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    client_id    TEXT NOT NULL CHECK (client_id <> ''),
    tree_node_id TEXT NOT NULL,
    domain_id    TEXT NOT NULL,
    skill_id     TEXT NOT NULL,
    title        TEXT NOT NULL,
    content      TEXT NOT NULL,
    source_type  TEXT NOT NULL,
    file_type    TEXT NOT NULL,
    locator      TEXT NOT NULL,
    item_id      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    run_id       TEXT NOT NULL,
    also_at      TEXT NOT NULL DEFAULT '[]'  -- JSON list: locators of the same text elsewhere
);
CREATE INDEX IF NOT EXISTS by_clientId_and_treeNodeId ON knowledge_entries (client_id, tree_node_id);
CREATE INDEX IF NOT EXISTS by_clientId_and_domainId ON knowledge_entries (client_id, domain_id);
CREATE INDEX IF NOT EXISTS by_clientId_and_skillId ON knowledge_entries (client_id, skill_id);
CREATE UNIQUE INDEX IF NOT EXISTS by_clientId_and_contentHash
    ON knowledge_entries (client_id, content_hash);
CREATE INDEX IF NOT EXISTS by_clientId_and_sourceType_and_itemId
    ON knowledge_entries (client_id, source_type, item_id);

-- An entry attaches to an entry group of its own client and carries that group's skill and domain.
CREATE TRIGGER IF NOT EXISTS knowledge_entries_level BEFORE INSERT ON knowledge_entries
WHEN NOT EXISTS (
    SELECT 1 FROM knowledge_tree g JOIN knowledge_tree s ON s.id = g.parent_id
    WHERE g.id = new.tree_node_id AND g.client_id = new.client_id AND g.level = 'entry_group'
      AND s.id = new.skill_id AND s.parent_id = new.domain_id
)
BEGIN
    SELECT RAISE(ABORT, 'grove-level: an entry attaches to an entry_group of its client');
END;
CREATE TRIGGER IF NOT EXISTS knowledge_entries_fixed
BEFORE UPDATE OF client_id, tree_node_id, domain_id, skill_id ON knowledge_entries
BEGIN
    SELECT RAISE(ABORT, 'grove-level: an entry keeps its place');
END;

-- The full-text row of an entry: its words, and its scope tokens (client, domain, skill, entry
-- group) so a search ANDs one scope token into its MATCH and FTS5 seeks within the scope's
-- doclist instead of walking every client's rows (kb/sqlite_search.py). The client token is
-- the hex of the id, as one word; node ids are hex already.
CREATE VIEW IF NOT EXISTS knowledge_entries_text AS
SELECT pk, title, content,
    'c' || hex(client_id) || ' d' || domain_id || ' s' || skill_id || ' g' || tree_node_id AS scope
FROM knowledge_entries;
CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_entries_fts USING fts5 (
    title, content, scope,
    content = 'knowledge_entries_text', content_rowid = 'pk',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Rows go in and out through the view, so a 'delete' passes exactly the indexed values; an
-- entry's place never changes (knowledge_entries_fixed), only its title and content.
CREATE TRIGGER IF NOT EXISTS knowledge_entries_ai AFTER INSERT ON knowledge_entries BEGIN
    INSERT INTO knowledge_entries_fts (rowid, title, content, scope)
    SELECT pk, title, content, scope FROM knowledge_entries_text WHERE pk = new.pk;
END;
CREATE TRIGGER IF NOT EXISTS knowledge_entries_bd BEFORE DELETE ON knowledge_entries BEGIN
    INSERT INTO knowledge_entries_fts (knowledge_entries_fts, rowid, title, content, scope)
    SELECT 'delete', pk, title, content, scope FROM knowledge_entries_text WHERE pk = old.pk;
END;
CREATE TRIGGER IF NOT EXISTS knowledge_entries_bu BEFORE UPDATE OF title, content ON knowledge_entries
BEGIN
    INSERT INTO knowledge_entries_fts (knowledge_entries_fts, rowid, title, content, scope)
    SELECT 'delete', pk, title, content, scope FROM knowledge_entries_text WHERE pk = old.pk;
END;
CREATE TRIGGER IF NOT EXISTS knowledge_entries_au AFTER UPDATE OF title, content ON knowledge_entries
BEGIN
    INSERT INTO knowledge_entries_fts (rowid, title, content, scope)
    SELECT pk, title, content, scope FROM knowledge_entries_text WHERE pk = new.pk;
END;

-- The one table shared by every client: scrubbed patterns, never client data.
CREATE TABLE IF NOT EXISTS forum_entries (
    pk            INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    source_type   TEXT NOT NULL,
    phase         TEXT NOT NULL CHECK (phase IN ('explore', 'structure')),
    file_type     TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    origin_hash   TEXT NOT NULL UNIQUE,
    support_count INTEGER NOT NULL DEFAULT 1,
    kind          TEXT NOT NULL DEFAULT '',   -- '' for a text pattern, else a kb.forum_rules kind
    rule          TEXT NOT NULL DEFAULT ''    -- the rule's payload as canonical JSON
);
CREATE INDEX IF NOT EXISTS by_sourceType_and_phase_and_fileType
    ON forum_entries (source_type, phase, file_type);
CREATE INDEX IF NOT EXISTS by_supportCount ON forum_entries (support_count);
-- The hint queries every agent runs (filters, no words, most supported first) walk these in
-- order and stop at the limit, instead of sorting every post of the filter: flat as the forum grows.
CREATE INDEX IF NOT EXISTS by_sourceType_and_phase_and_supportCount
    ON forum_entries (source_type, phase, support_count DESC, pk);
CREATE INDEX IF NOT EXISTS by_sourceType_and_phase_and_fileType_and_supportCount
    ON forum_entries (source_type, phase, file_type, support_count DESC, pk);

-- The forum's words as impact-ordered postings (kb/forum_terms.py), written with each new post:
-- a worded search reads each query word's best postings first off this key and stops after a
-- few, so its cost does not follow the forum's size. Word counts give the IDF ('' = all posts).
CREATE TABLE IF NOT EXISTS forum_terms (
    term        TEXT NOT NULL,
    impact      INTEGER NOT NULL,
    pk          INTEGER NOT NULL,
    source_type TEXT NOT NULL,   -- the post's filter fields, so filtered postings need no post read
    phase       TEXT NOT NULL,
    file_type   TEXT NOT NULL,
    PRIMARY KEY (term, impact, pk)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS forum_term_counts (
    term  TEXT PRIMARY KEY,
    posts INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS source_items (
    client_id        TEXT NOT NULL CHECK (client_id <> ''),
    source_type      TEXT NOT NULL,
    item_id          TEXT NOT NULL,
    revision         TEXT NOT NULL DEFAULT '',
    content_hash     TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped', 'deleted')),
    reason           TEXT NOT NULL DEFAULT '',
    last_seen_run_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (client_id, source_type, item_id)
) WITHOUT ROWID;

-- Which clients saw each forum pattern, as one-way hashes (never client ids): a pattern is
-- shown to other clients only once enough distinct clients saw it (k-anonymity gate).
CREATE TABLE IF NOT EXISTS forum_sightings (
    origin_hash TEXT NOT NULL,
    client_hash TEXT NOT NULL,
    PRIMARY KEY (origin_hash, client_hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS forum_sightings_by_client ON forum_sightings (client_hash);
