import Foundation
import GRDB
import MarqueeCore

/// The embedded store: one SQLite file in WAL mode. Every write runs inside
/// `BEGIN IMMEDIATE`, so writers queue one at a time, across processes too.
public final class SQLiteStore: BookingStore {
    let pool: DatabasePool
    public let path: String
    /// True when the file or its folder cannot be written (a read-only disk or file): reads
    /// are served, and every write fails with `SQLITE_READONLY`, which is answered 503.
    public let isReadOnly: Bool

    /// Opens (creating if needed) the database at `path`. Call ``migrate()`` before use.
    ///
    /// An existing file that cannot be written is opened read-only rather than refused. In
    /// WAL mode a reader needs the `-shm` file, which a read-only folder cannot get: then the
    /// file is opened `immutable`, which is safe only because nothing can change it, and only
    /// when no `-wal` file holds commits that are not in the main file yet.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        let mode = try Self.openMode(path)
        configuration.readonly = mode != .readWrite
        self.pool = try DatabasePool(path: try Self.filename(path, mode), configuration: configuration)
        self.path = path
        self.isReadOnly = mode != .readWrite
    }

    enum OpenMode: Equatable { case readWrite, readOnly, immutable }

    static func openMode(_ path: String) throws -> OpenMode {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path), !manager.isWritableFile(atPath: path) || !folderWritable(path) else {
            return .readWrite
        }
        if folderWritable(path) || manager.fileExists(atPath: path + "-shm") { return .readOnly }
        let wal = (try? manager.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? nil
        guard (wal ?? 0) == 0 else {
            throw StoreSetupError(
                "The SQLite database \(path) is read-only and its -wal file holds commits, but there is no -shm "
                    + "file and its folder cannot be written to make one. Open it once where it can be written.")
        }
        return .immutable
    }

    private static func folderWritable(_ path: String) -> Bool {
        FileManager.default.isWritableFile(atPath: (path as NSString).deletingLastPathComponent.isEmpty
            ? "." : (path as NSString).deletingLastPathComponent)
    }

    /// The name SQLite opens: the path itself, or a `file:` URI that carries the mode.
    private static func filename(_ path: String, _ mode: OpenMode) throws -> String {
        guard mode != .readWrite else { return path }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:\(encoded)?" + (mode == .immutable ? "immutable=1" : "mode=ro")
    }

    /// Runs `body` in an immediate transaction: the write lock is taken before the first read,
    /// so what the body reads cannot change before it commits.
    func writeImmediately<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async throws {
        try pool.close()
    }

    /// SQLite has no connection pool to watch (one writer, WAL readers).
    public var poolStatistics: PoolStatistics? { nil }
}
