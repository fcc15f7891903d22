-- The service network (network/store.h): the service points on the org-unit tree, the places
-- where migrants gather, the "六个一" checklist of the demonstration points and the positions of
-- the communities for the ten-minute service circle (network/circle.h). Rules: network/rules.h
-- (南宁市流动人口基本公共卫生计生服务均等化实施办法 §六(二); §四(二)(七)). Portable SQL as in
-- 0001: TEXT ISO-8601 dates, UTC timestamps, 0/1 integers for flags.
--
-- Positions are WGS-84 degrees (GCJ-02 input is converted before it is stored, network/
-- coordinates.h). org_path is the materialised path of org_code, kept on the row so that a read
-- is scoped by a key range as the person-level stores are (a centre sees its street's rows).

-- A service point. kind: community health service centre / station, township health centre,
-- village clinic, family-planning service station, contraceptive distribution point (staffed or a
-- self-service machine), demonstration point. services: comma-separated codes (network/rules.h).
-- free_contraceptives with open_to_public makes it a point of the ten-minute circle.
CREATE TABLE service_points (
  id                  TEXT PRIMARY KEY,
  kind                TEXT NOT NULL CHECK (kind IN ('chs_centre', 'chs_station',
                        'township_centre', 'village_clinic', 'fp_station', 'distribution_staffed',
                        'distribution_machine', 'demonstration')),
  name                TEXT NOT NULL CHECK (name <> ''),
  org_code            TEXT NOT NULL REFERENCES org_units(code),
  org_path            TEXT NOT NULL,
  address             TEXT NOT NULL DEFAULT '',
  lat                 REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon                 REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
  opening_hours       TEXT NOT NULL DEFAULT '',
  staff_count         INTEGER NOT NULL DEFAULT 0 CHECK (staff_count >= 0),
  services            TEXT NOT NULL DEFAULT '',
  free_contraceptives INTEGER NOT NULL DEFAULT 0 CHECK (free_contraceptives IN (0, 1)),
  open_to_public      INTEGER NOT NULL DEFAULT 1 CHECK (open_to_public IN (0, 1)),
  active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  created_by          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  updated_by          TEXT NOT NULL
);
CREATE INDEX service_points_path ON service_points(org_path, kind);

-- A place where migrants gather and work, with or without a family-planning association (计划生育
-- 协会) covering it.
CREATE TABLE gathering_places (
  id                 TEXT PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('enterprise', 'market', 'industrial_park',
                       'construction_site', 'dormitory')),
  name               TEXT NOT NULL CHECK (name <> ''),
  org_code           TEXT NOT NULL REFERENCES org_units(code),
  org_path           TEXT NOT NULL,
  lat                REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon                REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
  has_fp_association INTEGER NOT NULL DEFAULT 0 CHECK (has_fp_association IN (0, 1)),
  version            INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT NOT NULL,
  created_by         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  updated_by         TEXT NOT NULL
);
CREATE INDEX gathering_places_path ON gathering_places(org_path, kind);

-- The "六个一" of a demonstration point (实施办法 §六(二)): one row per item, the date it was last
-- checked. Items: free_services (一套免费基本公共卫生计生服务项目), lecture_hall (一个新市民健康教育
-- 讲堂), bulletin_board (一个健康教育宣传栏), video_player (一个播放健康教育视频资料的播放机),
-- materials (一套健康教育宣传资料), plaque ("流动人口基本公共卫生计生服务点"牌匾).
CREATE TABLE demo_checklist (
  point_id    TEXT NOT NULL REFERENCES service_points(id),
  item        TEXT NOT NULL CHECK (item IN ('free_services', 'lecture_hall', 'bulletin_board',
                'video_player', 'materials', 'plaque')),
  checked_on  TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (point_id, item)
);

-- A community's position (its centroid, WGS-84) for the ten-minute circle: org_units has none.
CREATE TABLE community_positions (
  code       TEXT PRIMARY KEY REFERENCES org_units(code),
  lat        REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon        REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
