import DossierKit
import Foundation

/// What the preview adds to the HTML pages it serves, and only to those: the live-reload script
/// and, while the last build failed, a panel with its diagnostics. `dossier build` never writes
/// either.
public enum PageDecorator {
    public static let scriptTag = "<script src=\"\(RequestPath.serverPrefix)live.js\"></script>"

    public static func decorate(_ html: Data, problems: [Diagnostic]) -> Data {
        var page = String(decoding: html, as: UTF8.self)
        if let closing = page.range(of: "</body>", options: [.backwards, .caseInsensitive]) {
            page.insert(contentsOf: scriptTag, at: closing.lowerBound)
        } else {
            page += scriptTag
        }
        if !problems.isEmpty {
            let panel = errorPanel(problems)
            if let body = page.range(of: "<body", options: .caseInsensitive),
               let end = page[body.upperBound...].firstIndex(of: ">") {
                page.insert(contentsOf: panel, at: page.index(after: end))
            } else {
                page = panel + page
            }
        }
        return Data(page.utf8)
    }

    /// A page for when there is no good build to show at all.
    public static func errorPage(_ problems: [Diagnostic]) -> Data {
        decorate(Data("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body></body></html>\n".utf8), problems: problems)
    }

    /// The failed build's diagnostics, escaped, over the last good page.
    static func errorPanel(_ problems: [Diagnostic]) -> String {
        let errors = problems.filter { $0.severity == .error }.count
        var panel = "<div id=\"dossier-build-errors\" role=\"alert\" style=\"position:relative;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace\">"
        panel += "<p style=\"margin:0 0 .5rem;font-weight:bold\">Dossier: the last build failed with \(errors) error\(errors == 1 ? "" : "s"). This page shows the last good build; save a fix and it reloads.</p>"
        panel += "<pre style=\"margin:0;white-space:pre-wrap\">"
        for problem in problems { panel += XML.escape(problem.description) + "\n" }
        return panel + "</pre></div>"
    }

    /// Reloads the page when the server reports a new build; the browser's EventSource reconnects
    /// by itself, and a restarted server has a new build id, so the page reloads then too.
    public static let liveReloadScript = """
    (function () {
      if (!window.EventSource) { return; }
      var current = null;
      var events = new EventSource("\(RequestPath.serverPrefix)events");
      events.addEventListener("build", function (event) {
        if (current !== null && event.data !== current) { window.location.reload(); }
        current = event.data;
      });
    })();

    """
}
