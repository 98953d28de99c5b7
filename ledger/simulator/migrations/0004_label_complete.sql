-- Whether the simulator posted a case whole. A case whose last steps fell after the run's end, or whose
-- customer could not afford a payment, holds only part of its family's pattern: recall is scored on whole
-- cases, and the others are counted apart (the reasons are in `details.unfinished`).

ALTER TABLE sim.labels ADD COLUMN IF NOT EXISTS complete boolean NOT NULL DEFAULT true;
