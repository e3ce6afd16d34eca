-- 5: what a listing went out without. A field the marketplace's own list does not offer (a
-- brand, a colour, a material) is left empty there; the listing keeps which, with our value,
-- so the card and the published message can tell the seller.
ALTER TABLE listings ADD COLUMN left_out TEXT NOT NULL DEFAULT '{}';
