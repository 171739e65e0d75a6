import Foundation
import NIOCore

/// The built web app (`web/` bundled into `Public/` by `scripts/build-web`), read into
/// memory once at start. It is a few hundred kilobytes, and serving only what was read
/// means no request path ever reaches the file system.
public struct WebAssets: Sendable {
    struct File: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
        /// Hashed names under `assets/` never change content, so caches may keep them for good.
        let immutable: Bool
    }

    let files: [String: File]
    let index: File

    /// Reads every file under `root`. Throws when `index.html` is missing, since without it
    /// there is no app to serve.
    public init(root: URL) throws {
        var files: [String: File] = [:]
        let base = root.standardizedFileURL.resolvingSymlinksInPath()
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw ConfigurationError("The web app folder \(root.path) cannot be read.")
        }
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.resolvingSymlinksInPath().path.dropFirst(base.path.count))
            let data = try Data(contentsOf: url)
            files[relative] = File(
                body: ByteBuffer(bytes: data),
                contentType: Self.contentType(of: url.pathExtension),
                etag: EntityTag.of(data),
                immutable: relative.hasPrefix("/assets/"))
        }
        guard let index = files["/index.html"] else {
            throw ConfigurationError("The web app folder \(root.path) has no index.html (run scripts/build-web).")
        }
        self.files = files
        self.index = index
    }

    /// The file a GET of `path` answers with: the file itself, or `index.html` for any path
    /// that does not name a file (a client-side route such as `/shows/42`), so a reload works.
    /// Nil for a missing file, which must be a 404 rather than a page of HTML.
    func file(for path: String) -> File? {
        if let file = files[path] { return file }
        let last = path.split(separator: "/").last ?? ""
        return last.contains(Character(".")) ? nil : index
    }

    /// The folder the build put beside the executable (SwiftPM copies `Public/` into the
    /// target's resource bundle), or nil when there is none.
    public static func bundledRoot() -> URL? {
        let besideExecutable = Bundle.main.bundleURL
            .appendingPathComponent("marquee_MarqueeServer.resources")
            .appendingPathComponent("Public")
        // A checkout that runs a binary copied elsewhere still finds its own sources.
        let inSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Public")
        return [besideExecutable, inSources].first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("index.html").path)
        }
    }

    static func contentType(of pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "json", "map": "application/json"
        case "txt": "text/plain; charset=utf-8"
        case "woff2": "font/woff2"
        default: "application/octet-stream"
        }
    }
}
