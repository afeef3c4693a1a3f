/*
 * genrebench F1 calculator: micro, macro, weighted, samples and per-label F1
 * (with precision and recall) of pasted multi-hot targets against pasted scores
 * or 0/1 predictions, plus what keras.metrics.F1Score(threshold=None) reports.
 *
 * Sphinx adds this file to every page of the book; it does nothing unless the
 * page has an element with id "f1-calculator". No network, no dependencies:
 * it works from file:// as well as from a server.
 *
 * The arithmetic mirrors genrebench.metrics with zero_division=0: a ratio whose
 * denominator is zero is 0. Every number is written with full precision in a
 * data-value attribute (data-metric names it), so a test can compare it with
 * the Python referee.
 */
(function () {
  "use strict";

  var KERAS_ZERO_TOLERANCE = 1e-9; // Keras: an all-zero row predicts nothing
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

  function InputError(message) {
    this.message = message;
  }

  function ratio(numerator, denominator) {
    return denominator > 0 ? numerator / denominator : 0;
  }

  function mean(values) {
    var total = 0;
    for (var i = 0; i < values.length; i++) total += values[i];
    return values.length ? total / values.length : 0;
  }

  /* Rows of numbers from text: one row per line, or [[...], [...]] nested lists. */
  function parseMatrix(text, what) {
    var cleaned = String(text)
      .replace(/\]\s*,?\s*\[/g, "\n")
      .replace(/[\[\]]/g, " ");
    var lines = cleaned.split(/\r?\n/).map(function (line) {
      return line.trim();
    }).filter(function (line) {
      return line.length > 0;
    });
    if (!lines.length) throw new InputError(what + ": paste at least one row.");
    var rows = lines.map(function (line, row) {
      var tokens = line.split(/[\s,;]+/).filter(function (token) {
        return token.length > 0;
      });
      return tokens.map(function (token, column) {
        if (!NUMBER.test(token)) {
          throw new InputError(
            what + ": row " + (row + 1) + ", value " + (column + 1) + ' ("' + token +
              '") is not a number.'
          );
        }
        return Number(token);
      });
    });
    var width = rows[0].length;
    if (width === 0) throw new InputError(what + ": row 1 has no values.");
    for (var r = 1; r < rows.length; r++) {
      if (rows[r].length !== width) {
        throw new InputError(
          what + ": row " + (r + 1) + " has " + rows[r].length + " values, row 1 has " +
            width + ". Every row needs one value per label."
        );
      }
    }
    return rows;
  }

  function shape(rows) {
    var plural = function (count, word) {
      return count + " " + word + (count === 1 ? "" : "s");
    };
    return plural(rows.length, "row") + " of " + plural(rows[0].length, "value");
  }

  function checkZeroOne(rows, what) {
    rows.forEach(function (row, r) {
      row.forEach(function (value, c) {
        if (value !== 0 && value !== 1) {
          throw new InputError(
            what + ": row " + (r + 1) + ", value " + (c + 1) + " is " + value +
              "; only 0 and 1 are allowed."
          );
        }
      });
    });
  }

  function checkProbabilities(rows, what) {
    rows.forEach(function (row, r) {
      row.forEach(function (value, c) {
        if (!(value >= 0 && value <= 1)) {
          throw new InputError(
            what + ": row " + (r + 1) + ", value " + (c + 1) + " is " + value +
              "; with a numeric threshold, scores must lie in [0, 1] (pick \"none\" for logits)."
          );
        }
      });
    });
  }

  /* keras.metrics.F1Score(threshold=None): every label tied at the row maximum, unless it is 0. */
  function kerasTopDecode(scores) {
    return scores.map(function (row) {
      var top = Math.max.apply(null, row);
      return row.map(function (value) {
        return value >= top && Math.abs(value) > KERAS_ZERO_TOLERANCE ? 1 : 0;
      });
    });
  }

  function thresholdDecode(scores, threshold) {
    return scores.map(function (row) {
      return row.map(function (value) {
        return value > threshold ? 1 : 0; // as Keras: a score equal to the threshold is negative
      });
    });
  }

  /* Every F1 mode, precision and recall, as genrebench.metrics computes them (zero_division=0). */
  function f1Report(truth, predicted) {
    var labels = truth[0].length;
    var tp = [], fp = [], fn = [];
    for (var j = 0; j < labels; j++) {
      tp.push(0);
      fp.push(0);
      fn.push(0);
    }
    var docF1 = [], docPrecision = [], docRecall = [];
    truth.forEach(function (row, i) {
      var docTp = 0, trueCount = 0, predictedCount = 0;
      for (var j = 0; j < labels; j++) {
        var t = row[j] === 1, p = predicted[i][j] === 1;
        if (t && p) tp[j]++;
        if (!t && p) fp[j]++;
        if (t && !p) fn[j]++;
        if (t && p) docTp++;
        if (t) trueCount++;
        if (p) predictedCount++;
      }
      docF1.push(ratio(2 * docTp, trueCount + predictedCount));
      docPrecision.push(ratio(docTp, predictedCount));
      docRecall.push(ratio(docTp, trueCount));
    });
    var perLabel = [];
    var totalTp = 0, totalFp = 0, totalFn = 0, totalSupport = 0;
    for (var k = 0; k < labels; k++) {
      var support = tp[k] + fn[k];
      perLabel.push({
        f1: ratio(2 * tp[k], 2 * tp[k] + fp[k] + fn[k]),
        precision: ratio(tp[k], tp[k] + fp[k]),
        recall: ratio(tp[k], tp[k] + fn[k]),
        support: support,
        predicted: tp[k] + fp[k],
      });
      totalTp += tp[k];
      totalFp += fp[k];
      totalFn += fn[k];
      totalSupport += support;
    }
    function column(name) {
      return perLabel.map(function (entry) {
        return entry[name];
      });
    }
    function weighted(name) {
      // No support anywhere: no weights, so scikit-learn (and the referee) take the plain mean.
      if (!totalSupport) return mean(column(name));
      var total = 0;
      perLabel.forEach(function (entry) {
        total += entry[name] * entry.support;
      });
      return total / totalSupport;
    }
    return {
      averages: {
        micro: {
          precision: ratio(totalTp, totalTp + totalFp),
          recall: ratio(totalTp, totalTp + totalFn),
          f1: ratio(2 * totalTp, 2 * totalTp + totalFp + totalFn),
        },
        macro: { precision: mean(column("precision")), recall: mean(column("recall")), f1: mean(column("f1")) },
        weighted: { precision: weighted("precision"), recall: weighted("recall"), f1: weighted("f1") },
        samples: { precision: mean(docPrecision), recall: mean(docRecall), f1: mean(docF1) },
      },
      perLabel: perLabel,
    };
  }

  /* Validate the inputs and compute everything; throws InputError with a message for the reader. */
  function compute(targetsText, predictionsText, kind, thresholdMode, thresholdText) {
    var truth = parseMatrix(targetsText, "Targets");
    checkZeroOne(truth, "Targets");
    var what = kind === "predictions" ? "Predictions" : "Scores";
    var values = parseMatrix(predictionsText, what);
    if (values.length !== truth.length || values[0].length !== truth[0].length) {
      throw new InputError(
        "Targets have " + shape(truth) + ", but " + what.toLowerCase() + " have " +
          shape(values) + ". Paste one row per document and one value per label in both."
      );
    }
    var predicted, rule;
    if (kind === "predictions") {
      checkZeroOne(values, what);
      predicted = values;
      rule = "the pasted 0/1 predictions";
    } else if (thresholdMode === "none") {
      values.forEach(function (row, r) {
        row.forEach(function (value, c) {
          if (!isFinite(value)) {
            throw new InputError(what + ": row " + (r + 1) + ", value " + (c + 1) + " is not finite.");
          }
        });
      });
      predicted = kerasTopDecode(values);
      rule = "each row's top score (ties included), as keras.metrics.F1Score(threshold=None)";
    } else {
      var text = String(thresholdText).trim();
      if (!NUMBER.test(text) || !(Number(text) >= 0 && Number(text) <= 1)) {
        throw new InputError('Threshold: "' + text + '" is not a number in [0, 1].');
      }
      var threshold = Number(text);
      checkProbabilities(values, what);
      predicted = thresholdDecode(values, threshold);
      rule = "scores greater than " + threshold;
    }
    return {
      truth: truth,
      predicted: predicted,
      rule: rule,
      report: f1Report(truth, predicted),
      keras: f1Report(truth, kerasTopDecode(values)),
    };
  }

  /* --- Page ------------------------------------------------------------------------------ */

  var STYLE =
    ".f1-calculator{border:1px solid #d0d7de;border-radius:6px;padding:1em;margin:1em 0}" +
    ".f1-calculator label{display:block;font-weight:600;margin:.6em 0 .2em}" +
    ".f1-calculator textarea{width:100%;font-family:monospace;font-size:.9em}" +
    ".f1-calculator fieldset{border:0;padding:0;margin:.6em 0}" +
    ".f1-calculator fieldset label{display:inline;font-weight:normal;margin:0 1em 0 .3em}" +
    ".f1-calculator legend{font-size:1em;font-weight:600;margin:0 0 .2em;padding:0;border:0}" +
    ".f1-calculator .f1-calc-row{display:flex;gap:1em;align-items:flex-end;flex-wrap:wrap}" +
    ".f1-calculator .f1-calc-error{color:#a40e26;font-weight:600;margin:.6em 0}" +
    ".f1-calculator table{border-collapse:collapse;margin:.6em 0}" +
    ".f1-calculator th,.f1-calculator td{border-bottom:1px solid #d0d7de;padding:.2em .8em;text-align:right}" +
    ".f1-calculator th:first-child,.f1-calculator td:first-child{text-align:left}" +
    ".f1-calculator button{margin-top:.6em;padding:.3em 1.2em}";

  var EXAMPLE_TARGETS = "0 0 0 0 0 1 0 1\n0 1 1 0 0 0 0 1";
  var EXAMPLE_SCORES = "0.10 0.20 0.05 0.30 0.15 0.90 0.25 0.60\n0.05 0.90 0.70 0.20 0.10 0.30 0.15 0.55";

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function numberCell(metric, value) {
    return element("td", {
      "data-metric": metric,
      "data-value": String(value),
      text: value.toFixed(3),
    });
  }

  function table(headings, rows) {
    var head = element("thead", {}, [
      element("tr", {}, headings.map(function (heading) {
        return element("th", { text: heading });
      })),
    ]);
    return element("table", {}, [head, element("tbody", {}, rows)]);
  }

  function render(results, output) {
    var report = results.report;
    var averageRows = ["micro", "macro", "weighted", "samples"].map(function (mode) {
      var values = report.averages[mode];
      return element("tr", {}, [
        element("td", { text: mode }),
        numberCell("precision-" + mode, values.precision),
        numberCell("recall-" + mode, values.recall),
        numberCell("f1-" + mode, values.f1),
      ]);
    });
    var labelRows = report.perLabel.map(function (entry, j) {
      return element("tr", {}, [
        element("td", { text: "label " + j }),
        numberCell("support-label-" + j, entry.support),
        numberCell("predicted-label-" + j, entry.predicted),
        numberCell("precision-label-" + j, entry.precision),
        numberCell("recall-label-" + j, entry.recall),
        numberCell("f1-label-" + j, entry.f1),
      ]);
    });
    labelRows.forEach(function (row) {
      // Counts are whole numbers: show them without decimals.
      [1, 2].forEach(function (index) {
        var cell = row.children[index];
        cell.textContent = String(Number(cell.getAttribute("data-value")));
      });
    });
    var keras = results.keras;
    var kerasRows = ["micro", "macro", "weighted"].map(function (mode) {
      return element("tr", {}, [
        element("td", { text: "average=\"" + mode + "\"" }),
        numberCell("keras-f1-" + mode, keras.averages[mode].f1),
      ]);
    }).concat(keras.perLabel.map(function (entry, j) {
      return element("tr", {}, [
        element("td", { text: "average=None, label " + j }),
        numberCell("keras-f1-label-" + j, entry.f1),
      ]);
    }));
    var positives = 0;
    results.predicted.forEach(function (row) {
      row.forEach(function (value) {
        positives += value;
      });
    });
    output.appendChild(element("p", {
      text: "Predicted positives: " + results.rule + " (" + positives + " of " +
        results.predicted.length * results.predicted[0].length + " document-label cells).",
    }));
    output.appendChild(table(["average", "precision", "recall", "F1"], averageRows));
    output.appendChild(table(["label", "support", "predicted", "precision", "recall", "F1"], labelRows));
    output.appendChild(element("p", {
      text: "What keras.metrics.F1Score(threshold=None), its default, reports on the same input " +
        "(up to its float32 rounding; Keras has no \"samples\" average):",
    }));
    output.appendChild(table(["keras.metrics.F1Score(threshold=None)", "F1"], kerasRows));
  }

  function init() {
    var root = document.getElementById("f1-calculator");
    if (!root || root.getAttribute("data-ready")) return;
    document.head.appendChild(element("style", { text: STYLE }));
    var targets = element("textarea", { id: "f1-calc-targets", rows: "5", spellcheck: "false" });
    targets.value = EXAMPLE_TARGETS;
    var predictions = element("textarea", { id: "f1-calc-predictions", rows: "5", spellcheck: "false" });
    predictions.value = EXAMPLE_SCORES;
    var kindScores = element("input", { type: "radio", name: "f1-calc-kind", id: "f1-calc-kind-scores", value: "scores" });
    kindScores.checked = true;
    var kindPredictions = element("input", { type: "radio", name: "f1-calc-kind", id: "f1-calc-kind-predictions", value: "predictions" });
    var mode = element("select", { id: "f1-calc-threshold-mode" }, [
      element("option", { value: "number", text: "a number" }),
      element("option", { value: "none", text: "none, like Keras' default (threshold=None)" }),
    ]);
    var threshold = element("input", { id: "f1-calc-threshold", type: "text", value: "0.5", size: "6", inputmode: "decimal" });
    var button = element("button", { id: "f1-calc-compute", type: "button", text: "Compute" });
    var error = element("div", { id: "f1-calc-error", "class": "f1-calc-error", role: "alert" });
    var output = element("div", { id: "f1-calc-results", "aria-live": "polite" });
    root.textContent = "";
    [
      element("label", { "for": "f1-calc-targets", text: "Targets: one multi-hot row (0 and 1) per document" }),
      targets,
      element("fieldset", {}, [
        element("legend", { text: "The second box holds" }),
        kindScores,
        element("label", { "for": "f1-calc-kind-scores", text: "scores" }),
        kindPredictions,
        element("label", { "for": "f1-calc-kind-predictions", text: "0/1 predictions" }),
      ]),
      element("label", { "for": "f1-calc-predictions", text: "Scores or predictions: one row per document, one value per label" }),
      predictions,
      element("div", { "class": "f1-calc-row" }, [
        element("div", {}, [element("label", { "for": "f1-calc-threshold-mode", text: "Threshold (scores only)" }), mode]),
        element("div", {}, [element("label", { "for": "f1-calc-threshold", text: "Value" }), threshold]),
      ]),
      button,
      error,
      output,
    ].forEach(function (node) {
      root.appendChild(node);
    });

    function update() {
      threshold.disabled = mode.value === "none" || kindPredictions.checked;
      mode.disabled = kindPredictions.checked;
      output.textContent = "";
      error.textContent = "";
      try {
        render(
          compute(targets.value, predictions.value, kindPredictions.checked ? "predictions" : "scores", mode.value, threshold.value),
          output
        );
        root.setAttribute("data-state", "ok");
      } catch (problem) {
        if (!(problem instanceof InputError)) throw problem;
        output.textContent = "";
        error.textContent = problem.message;
        root.setAttribute("data-state", "error");
      }
    }

    button.addEventListener("click", update);
    [targets, predictions, threshold].forEach(function (node) {
      node.addEventListener("input", update);
    });
    [mode, kindScores, kindPredictions].forEach(function (node) {
      node.addEventListener("change", update);
    });
    root.setAttribute("data-ready", "true");
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
