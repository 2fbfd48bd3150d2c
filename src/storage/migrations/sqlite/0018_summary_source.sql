-- Who wrote a paper's AI summary and keywords: "Hugging Face" for its daily papers, or the model of
-- the operator's SUMMARY_URL endpoint (`paperboy summarize`). Pages name it beside the summary.
ALTER TABLE paper ADD COLUMN ai_summary_by TEXT;
UPDATE paper SET ai_summary_by = 'Hugging Face' WHERE ai_summary IS NOT NULL;
