-- desk project schema, version 7 (frozen; never edit).
CREATE TABLE character (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	color VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE clip_list (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE emotion (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	color VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE essay (
	id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	dek VARCHAR NOT NULL, 
	author VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE journal (
	id INTEGER NOT NULL, 
	label VARCHAR NOT NULL, 
	forward VARCHAR NOT NULL, 
	backward VARCHAR NOT NULL, 
	undone BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE media (
	id INTEGER NOT NULL, 
	label VARCHAR NOT NULL, 
	path VARCHAR NOT NULL, 
	size_bytes INTEGER NOT NULL, 
	fingerprint VARCHAR NOT NULL, 
	duration_ms INTEGER NOT NULL, 
	fps_num INTEGER NOT NULL, 
	fps_den INTEGER NOT NULL, 
	width INTEGER NOT NULL, 
	height INTEGER NOT NULL, 
	time_map VARCHAR NOT NULL, 
	is_reference BOOLEAN NOT NULL, 
	path_confirmed BOOLEAN NOT NULL, 
	clock_pending BOOLEAN DEFAULT 0 NOT NULL, 
	audio_track INTEGER, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_media_fingerprint ON media (fingerprint);
CREATE TABLE merge_base (
	id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	uid VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	content VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE project (
	id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	author VARCHAR NOT NULL, 
	film_title VARCHAR NOT NULL, 
	film_year INTEGER, 
	film_release VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE scene (
	id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	start_ms INTEGER NOT NULL, 
	end_ms INTEGER NOT NULL, 
	description VARCHAR NOT NULL, 
	uid VARCHAR DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT scene_range CHECK (end_ms >= start_ms)
);
CREATE INDEX ix_scene_uid ON scene (uid);
CREATE TABLE shot (
	id INTEGER NOT NULL, 
	start_ms INTEGER NOT NULL, 
	end_ms INTEGER NOT NULL, 
	source VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_shot_start_ms ON shot (start_ms);
CREATE TABLE tier (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	language VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	uid VARCHAR DEFAULT '' NOT NULL, 
	elan VARCHAR DEFAULT '' NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_tier_uid ON tier (uid);
CREATE TABLE analysis (
	id INTEGER NOT NULL, 
	media_id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	params VARCHAR NOT NULL, 
	data BLOB NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(media_id) REFERENCES media (id)
);
CREATE TABLE beat (
	id INTEGER NOT NULL, 
	start_ms INTEGER NOT NULL, 
	end_ms INTEGER NOT NULL, 
	label VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	emotion_id INTEGER, 
	valence FLOAT NOT NULL, 
	intensity FLOAT NOT NULL, 
	annotator VARCHAR NOT NULL, 
	uid VARCHAR DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT beat_range CHECK (end_ms >= start_ms), 
	CONSTRAINT beat_valence CHECK (valence BETWEEN -1 AND 1), 
	CONSTRAINT beat_intensity CHECK (intensity BETWEEN 0 AND 1), 
	FOREIGN KEY(emotion_id) REFERENCES emotion (id)
);
CREATE INDEX ix_beat_start_ms ON beat (start_ms);
CREATE INDEX ix_beat_uid ON beat (uid);
CREATE TABLE clip (
	id INTEGER NOT NULL, 
	clip_list_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	start_ms INTEGER NOT NULL, 
	end_ms INTEGER NOT NULL, 
	handle_before_ms INTEGER NOT NULL, 
	handle_after_ms INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	caption VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT clip_range CHECK (end_ms >= start_ms), 
	FOREIGN KEY(clip_list_id) REFERENCES clip_list (id)
);
CREATE INDEX ix_clip_clip_list_id ON clip (clip_list_id);
CREATE TABLE cue (
	id INTEGER NOT NULL, 
	tier_id INTEGER NOT NULL, 
	start_ms INTEGER NOT NULL, 
	end_ms INTEGER NOT NULL, 
	text VARCHAR NOT NULL, 
	speaker VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT cue_range CHECK (end_ms >= start_ms), 
	FOREIGN KEY(tier_id) REFERENCES tier (id)
);
CREATE INDEX ix_cue_tier_id ON cue (tier_id);
CREATE INDEX ix_cue_start_ms ON cue (start_ms);
CREATE TABLE paragraph (
	id INTEGER NOT NULL, 
	essay_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	text VARCHAR NOT NULL, 
	uid VARCHAR DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(essay_id) REFERENCES essay (id)
);
CREATE INDEX ix_paragraph_uid ON paragraph (uid);
CREATE INDEX ix_paragraph_essay_position ON paragraph (essay_id, position);
CREATE TABLE reading (
	id INTEGER NOT NULL, 
	scene_id INTEGER, 
	position INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	summary VARCHAR NOT NULL, 
	uid VARCHAR DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(scene_id) REFERENCES scene (id)
);
CREATE INDEX ix_reading_uid ON reading (uid);
CREATE TABLE beat_character (
	beat_id INTEGER NOT NULL, 
	character_id INTEGER NOT NULL, 
	PRIMARY KEY (beat_id, character_id), 
	FOREIGN KEY(beat_id) REFERENCES beat (id), 
	FOREIGN KEY(character_id) REFERENCES character (id)
);
CREATE TABLE note (
	id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	text VARCHAR NOT NULL, 
	paragraph_id INTEGER, 
	character_id INTEGER, 
	created_at VARCHAR NOT NULL, 
	uid VARCHAR DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(paragraph_id) REFERENCES paragraph (id), 
	FOREIGN KEY(character_id) REFERENCES character (id)
);
CREATE INDEX ix_note_uid ON note (uid);
CREATE INDEX ix_note_paragraph_id ON note (paragraph_id);
CREATE TABLE evidence (
	id INTEGER NOT NULL, 
	reading_id INTEGER NOT NULL, 
	stance VARCHAR NOT NULL, 
	beat_id INTEGER, 
	note_id INTEGER, 
	paragraph_id INTEGER, 
	comment VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT evidence_has_one_target CHECK ((beat_id IS NULL) + (note_id IS NULL) + (paragraph_id IS NULL) = 2), 
	UNIQUE (reading_id, beat_id, note_id, paragraph_id), 
	FOREIGN KEY(reading_id) REFERENCES reading (id), 
	FOREIGN KEY(beat_id) REFERENCES beat (id), 
	FOREIGN KEY(note_id) REFERENCES note (id), 
	FOREIGN KEY(paragraph_id) REFERENCES paragraph (id)
);
CREATE INDEX ix_evidence_reading_id ON evidence (reading_id);
CREATE TABLE time_link (
	id INTEGER NOT NULL, 
	paragraph_id INTEGER, 
	note_id INTEGER, 
	start_ms INTEGER NOT NULL, 
	end_ms INTEGER NOT NULL, 
	label VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT link_range CHECK (end_ms >= start_ms), 
	CONSTRAINT link_has_one_owner CHECK ((paragraph_id IS NULL) + (note_id IS NULL) = 1), 
	FOREIGN KEY(paragraph_id) REFERENCES paragraph (id), 
	FOREIGN KEY(note_id) REFERENCES note (id)
);
CREATE INDEX ix_time_link_paragraph_id ON time_link (paragraph_id);
CREATE INDEX ix_time_link_note_id ON time_link (note_id);
CREATE INDEX ix_time_link_start_ms ON time_link (start_ms);
CREATE VIRTUAL TABLE search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
PRAGMA user_version = 7;
PRAGMA application_id = 1684370283;
