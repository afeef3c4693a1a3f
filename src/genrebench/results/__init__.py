"""Results as data: statistics (intervals, paired differences), tables, the analysis of a
heads study, the answers (verdicts, their wording and the numbers behind them) and the
figure registry. The book's chapters and the command's report both render these objects,
so a figure name or an answer means the same thing in both."""
