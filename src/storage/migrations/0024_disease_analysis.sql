-- The periodic analysis of the case cards (disease/analysis_store.h): its counts select the active
-- cards of one window of report dates (a week or a month, and the two it is compared with) or of
-- onset dates (the epidemic curve), then keep those of the caller's area. Without these indexes a
-- city-wide analysis walked every card of the city through disease_cards_residence (45,000 on the
-- demo city); with them it reads only the window's. Portable SQL as in 0001.
CREATE INDEX disease_cards_reported ON disease_cards(reported_at, residence_path)
  WHERE status = 'active';
CREATE INDEX disease_cards_onset ON disease_cards(onset_date, residence_path)
  WHERE status = 'active';
