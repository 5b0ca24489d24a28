// ZipWriter: streams a zip archive of files to a sink, in constant memory (plus one
// central-directory record per file), so the results browser can offer a whole run as
// one download without building it on disk first.
//
//   ZipWriter zip([&](std::string_view bytes) { return SendChunk(bytes); });
//   JEPSEN_RETURN_IF_ERROR(zip.AddTree("demo/20261125T010203.456Z", run_dir));
//   JEPSEN_RETURN_IF_ERROR(zip.Finish());
//
// Entries are deflated with zlib (method 8; histories and logs shrink 5 to 10 times) or,
// with level 0, stored (method 0); each is followed by a data descriptor with its
// CRC-32 and sizes (general-purpose flag bit 3), names in UTF-8 (bit 11). Zip64 records are written for an entry of 4 GiB or more, for offsets past
// 4 GiB and for more than 65,535 entries, so any run can be archived.
//
// Thread safety: one ZipWriter belongs to one thread.
#ifndef JEPSEN_WEB_ZIP_H_
#define JEPSEN_WEB_ZIP_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "jepsen/status.h"

namespace jepsen::web {

// The CRC-32 (ISO 3309, as zip and gzip use it) of `size` bytes, continuing from `crc`
// (0 to start).
uint32_t Crc32(uint32_t crc, const void* data, size_t size);

struct ZipOptions {
  // Writes zip64 records for every entry and the end record even when nothing needs
  // them (so tests can check the zip64 layout without 4 GiB files).
  bool force_zip64 = false;
  // zlib's deflate level, 1 (fastest) to 9 (smallest); 0 stores entries uncompressed.
  // Level 1 keeps a 2-core server far ahead of most links while still shrinking text
  // several times.
  int level = 1;
};

// Receives the archive's bytes in order; an error stops the archive.
using ZipSink = std::function<Status(std::string_view)>;

class ZipWriter {
 public:
  explicit ZipWriter(ZipSink sink, ZipOptions options = {});
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds the regular file `path` as entry `name` ('/'-separated, relative). The bytes
  // archived are those present when it is opened, up to its size then (a file still
  // growing is cut at that size). An error if it cannot be read, or if the sink fails.
  Status AddFile(const std::string& name, const std::string& path);

  // Adds every regular file below `dir` as "<prefix>/<relative path>", in name order.
  // Symlinks and names starting with '.' are skipped: nothing outside `dir` is read.
  Status AddTree(const std::string& prefix, const std::string& dir);

  // Writes the central directory and the end records. Call once, last.
  Status Finish();

  // Bytes given to the sink so far.
  uint64_t bytes_written() const { return offset_; }

 private:
  struct Entry {
    std::string name;
    uint32_t crc = 0;
    uint64_t size = 0;   // uncompressed
    uint64_t csize = 0;  // as archived
    uint16_t method = 0;  // 0 stored, 8 deflated
    uint64_t offset = 0;  // of the local header
    uint16_t dos_time = 0;
    uint16_t dos_date = 0;
    uint32_t mode = 0;
    bool zip64 = false;  // the local header and descriptor have zip64 sizes
  };

  Status Emit(std::string_view bytes);
  // Streams `limit` bytes of `fd` into the archive, compressed or not, filling in the
  // entry's CRC and sizes.
  Status CopyData(int fd, const std::string& path, uint64_t limit, Entry& e);
  Status Flush();
  Status WriteCentralDirectory();

  ZipSink sink_;
  ZipOptions options_;
  std::string pending_;  // bytes not yet given to the sink (at most ~64 KiB)
  uint64_t offset_ = 0;  // bytes emitted, including pending_
  std::vector<Entry> entries_;
  bool finished_ = false;
};

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_ZIP_H_
