-- The social card of a tour (og:image, oEmbed thumbnail): its start view,
-- reprojected from the start scene's panorama and kept in the media storage
-- under `image_key`. `source` names what it was made from (scene, panorama
-- file, yaw, pitch, fov); a card whose source no longer matches the tour's
-- start view is made again, so changing the start scene or its view is all
-- it takes to invalidate it. One row per tour, gone with the tour.
CREATE TABLE tour_social_cards (
  tour_id uuid PRIMARY KEY REFERENCES tours (id) ON DELETE CASCADE,
  source text NOT NULL CHECK (length(source) <= 4096),
  image_key text NOT NULL CHECK (length(image_key) <= 200),
  created_at timestamptz NOT NULL DEFAULT now()
);
