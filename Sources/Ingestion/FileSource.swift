internal import Glibc

/// A file or an inherited descriptor (standard input), read with `read(2)` straight into the caller's buffer.
public struct FileSource: ByteSource, ~Copyable {
    public let name: String
    public private(set) var bytesConsumed = 0
    public let byteCount: Int?
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens the file at `path` for reading.
    public init(path: String) throws(SourceError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        self.init(descriptor: descriptor, name: path, ownsDescriptor: true)
    }

    /// Reads an already open descriptor, such as `STDIN_FILENO`, and leaves it open.
    public init(descriptor: Int32, name: String) {
        self.init(descriptor: descriptor, name: name, ownsDescriptor: false)
    }

    private init(descriptor: Int32, name: String, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        var status = stat()
        // Only a regular file's size says how much will be read; a pipe's or a terminal's says nothing.
        let isRegular = fstat(descriptor, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
        self.byteCount = isRegular ? Int(status.st_size) : nil
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                bytesConsumed += count
                return count
            }
            if errno == EINTR { continue }
            throw .readFailed(source: name, offset: bytesConsumed, reason: String(cString: strerror(errno)))
        }
    }
}
