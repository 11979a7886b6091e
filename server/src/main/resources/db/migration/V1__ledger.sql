-- The round's ledger (PostgresBetStore). Exactly once, one "finished" per agency and one draw per
-- round are kept by the constraints below, not by the central's code alone: two centrals writing
-- at once (a split brain) still cannot store a bet twice, move a finished agency on, or draw twice.

-- The round's identity: one row (the key can only be true), the agency count N it was made with.
-- A central of another N refuses the database.
CREATE TABLE round (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    agencies   integer     NOT NULL CHECK (agencies >= 0),
    started_at timestamptz NOT NULL DEFAULT now()
);

-- Each agency's stored count: an append locks this row, inserts the bets at positions
-- stored_bets.. and moves it on in the same transaction. (agency, stored_bets) is unique so that
-- "finished" can reference it.
CREATE TABLE agency (
    agency      integer PRIMARY KEY CHECK (agency >= 1),
    stored_bets integer NOT NULL DEFAULT 0 CHECK (stored_bets >= 0),
    CONSTRAINT agency_count_key UNIQUE (agency, stored_bets)
);

-- One row per bet; the key is its place in its agency's stream, so a position is stored once.
-- Text columns keep the bet as written (documento '0042' stays '0042').
CREATE TABLE bet (
    agency     integer NOT NULL CHECK (agency >= 1),
    position   integer NOT NULL CHECK (position >= 0),
    nombre     text    NOT NULL,
    apellido   text    NOT NULL,
    documento  text    NOT NULL,
    nacimiento text    NOT NULL,
    numero     integer NOT NULL CHECK (numero BETWEEN 0 AND 9999),
    PRIMARY KEY (agency, position)
);

-- "finished": at most one row per agency. It references the agency's count as it was, so the
-- count cannot move any more: an append after it fails its UPDATE of agency.stored_bets
-- (foreign_key_violation), whichever central makes it.
CREATE TABLE finished (
    agency      integer     PRIMARY KEY,
    stored_bets integer     NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT finished_pins_the_count FOREIGN KEY (agency, stored_bets) REFERENCES agency (agency, stored_bets)
);

-- The draw: at most one row per round (the key can only be true), and its winners, recorded in
-- the same transaction; ordinal keeps each agency's winners in the order of its stream.
CREATE TABLE draw (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    winners     integer     NOT NULL CHECK (winners >= 0),
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE draw_winner (
    draw      boolean NOT NULL DEFAULT true REFERENCES draw (singleton),
    ordinal   integer PRIMARY KEY CHECK (ordinal >= 0),
    agency    integer NOT NULL CHECK (agency >= 1),
    documento text    NOT NULL
);
