#include "jepsen/web/zip.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace jepsen::web {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kDataDescriptor = 0x08074b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint32_t kEnd = 0x06054b50;
constexpr uint16_t kFlags = (1u << 3) | (1u << 11);  // data descriptor, UTF-8 names
constexpr uint16_t kMadeByUnix = 3u << 8;
constexpr uint32_t kMax32 = 0xFFFFFFFFu;
constexpr size_t kBuffer = 64 * 1024;

std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

void Put16(std::string& out, uint64_t v) {
  for (int i = 0; i < 2; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void Put32(std::string& out, uint64_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void Put64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// MS-DOS time and date of a Unix time (UTC; 1980 at the earliest, as DOS dates start).
void DosTime(time_t t, uint16_t* dos_time, uint16_t* dos_date) {
  std::tm parts;
  gmtime_r(&t, &parts);
  if (parts.tm_year < 80) {
    *dos_time = 0;
    *dos_date = (1 << 5) | 1;  // 1980-01-01
    return;
  }
  *dos_time = static_cast<uint16_t>((parts.tm_hour << 11) | (parts.tm_min << 5) |
                                    (parts.tm_sec / 2));
  *dos_date = static_cast<uint16_t>(((parts.tm_year - 80) << 9) |
                                    ((parts.tm_mon + 1) << 5) | parts.tm_mday);
}

}  // namespace

uint32_t Crc32(uint32_t crc, const void* data, size_t size) {
  static const std::array<uint32_t, 256> table = MakeCrcTable();
  const auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

ZipWriter::ZipWriter(ZipSink sink, ZipOptions options)
    : sink_(std::move(sink)), options_(options) {}

Status ZipWriter::Emit(std::string_view bytes) {
  offset_ += bytes.size();
  if (pending_.size() + bytes.size() <= kBuffer) {
    pending_.append(bytes);
    return OkStatus();
  }
  JEPSEN_RETURN_IF_ERROR(Flush());
  if (bytes.size() >= kBuffer) return sink_(bytes);
  pending_.append(bytes);
  return OkStatus();
}

Status ZipWriter::Flush() {
  if (pending_.empty()) return OkStatus();
  Status s = sink_(pending_);
  pending_.clear();
  return s;
}

Status ZipWriter::AddFile(const std::string& name, const std::string& path) {
  if (finished_) return FailedPreconditionError("zip: AddFile after Finish");
  if (name.empty() || name.size() > 0xFFFF) {
    return InvalidArgumentError(fmt::format("zip: bad entry name for {}", path));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return IoError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError(fmt::format("cannot archive {}: not a regular file", path));
  }
  Entry e{.name = name,
          .method = static_cast<uint16_t>(options_.level > 0 ? 8 : 0),
          .offset = offset_,
          .mode = st.st_mode & 07777};
  DosTime(st.st_mtime, &e.dos_time, &e.dos_date);
  uint64_t limit = static_cast<uint64_t>(st.st_size);
  // Deflate can grow incompressible data a little (5 bytes per 16 KiB block at worst):
  // leave room so that the compressed size of a file just under 4 GiB still fits.
  uint64_t bound = e.method == 8 ? limit + limit / 1024 + 1024 : limit;
  e.zip64 = options_.force_zip64 || bound >= kMax32;

  std::string header;
  Put32(header, kLocalHeader);
  Put16(header, e.zip64 ? 45 : 20);
  Put16(header, kFlags);
  Put16(header, e.method);
  Put16(header, e.dos_time);
  Put16(header, e.dos_date);
  Put32(header, 0);  // CRC and sizes follow the data, in the descriptor
  Put32(header, e.zip64 ? kMax32 : 0);
  Put32(header, e.zip64 ? kMax32 : 0);
  Put16(header, name.size());
  Put16(header, e.zip64 ? 20 : 0);
  header += name;
  if (e.zip64) {
    Put16(header, 0x0001);
    Put16(header, 16);
    Put64(header, 0);
    Put64(header, 0);
  }
  Status status = Emit(header);
  if (status.ok()) status = CopyData(fd, path, limit, e);
  ::close(fd);
  JEPSEN_RETURN_IF_ERROR(status);

  std::string descriptor;
  Put32(descriptor, kDataDescriptor);
  Put32(descriptor, e.crc);
  if (e.zip64) {
    Put64(descriptor, e.csize);
    Put64(descriptor, e.size);
  } else {
    Put32(descriptor, e.csize);
    Put32(descriptor, e.size);
  }
  JEPSEN_RETURN_IF_ERROR(Emit(descriptor));
  entries_.push_back(std::move(e));
  return OkStatus();
}

Status ZipWriter::CopyData(int fd, const std::string& path, uint64_t limit, Entry& e) {
  z_stream z{};
  const bool deflating = e.method == 8;
  if (deflating && deflateInit2(&z, std::clamp(options_.level, 1, 9), Z_DEFLATED, -MAX_WBITS,
                                8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return InternalError(fmt::format("zip: zlib cannot start deflating {}", path));
  }
  std::string in(kBuffer, '\0');
  std::string out(deflating ? kBuffer : 0, '\0');
  // Deflates what is in z.next_in (all of it with Z_FINISH) and emits the output.
  auto pump = [&](int flush) -> Status {
    int rc;
    do {
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      rc = deflate(&z, flush);
      if (rc == Z_STREAM_ERROR) return InternalError(fmt::format("zip: deflate failed on {}", path));
      size_t produced = out.size() - z.avail_out;
      e.csize += produced;
      JEPSEN_RETURN_IF_ERROR(Emit(std::string_view(out.data(), produced)));
    } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    return OkStatus();
  };
  Status status;
  while (status.ok() && e.size < limit) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kBuffer, limit - e.size));
    ssize_t n = ::read(fd, in.data(), want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = IoError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
      break;
    }
    if (n == 0) break;  // the file shrank: archive what there is
    e.crc = Crc32(e.crc, in.data(), static_cast<size_t>(n));
    e.size += static_cast<uint64_t>(n);
    if (!deflating) {
      e.csize += static_cast<uint64_t>(n);
      status = Emit(std::string_view(in.data(), static_cast<size_t>(n)));
      continue;
    }
    z.next_in = reinterpret_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(n);
    status = pump(Z_NO_FLUSH);
  }
  if (deflating) {
    if (status.ok()) {
      z.next_in = nullptr;
      z.avail_in = 0;
      status = pump(Z_FINISH);
    }
    deflateEnd(&z);
  }
  return status;
}

Status ZipWriter::AddTree(const std::string& prefix, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!name.empty() && name[0] != '.') names.push_back(std::move(name));
  }
  if (ec) return IoError(fmt::format("cannot list {}: {}", dir, ec.message()));
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::string path = dir + "/" + name;
    std::string entry = prefix.empty() ? name : prefix + "/" + name;
    fs::file_status st = fs::symlink_status(path, ec);
    if (ec) continue;  // vanished meanwhile
    if (fs::is_directory(st)) {
      JEPSEN_RETURN_IF_ERROR(AddTree(entry, path));
    } else if (fs::is_regular_file(st)) {
      JEPSEN_RETURN_IF_ERROR(AddFile(entry, path));
    }
  }
  return OkStatus();
}

Status ZipWriter::WriteCentralDirectory() {
  uint64_t cd_offset = offset_;
  for (const Entry& e : entries_) {
    bool sizes64 = e.zip64;
    bool offset64 = options_.force_zip64 || e.offset >= kMax32;
    std::string extra;
    if (sizes64) {  // the zip64 field's order: uncompressed size, then compressed
      Put64(extra, e.size);
      Put64(extra, e.csize);
    }
    if (offset64) Put64(extra, e.offset);
    std::string h;
    Put32(h, kCentralHeader);
    Put16(h, kMadeByUnix | 45);
    Put16(h, extra.empty() ? 20 : 45);
    Put16(h, kFlags);
    Put16(h, e.method);
    Put16(h, e.dos_time);
    Put16(h, e.dos_date);
    Put32(h, e.crc);
    Put32(h, sizes64 ? kMax32 : e.csize);
    Put32(h, sizes64 ? kMax32 : e.size);
    Put16(h, e.name.size());
    Put16(h, extra.empty() ? 0 : extra.size() + 4);
    Put16(h, 0);  // comment
    Put16(h, 0);  // disk
    Put16(h, 0);  // internal attributes
    Put32(h, static_cast<uint64_t>(S_IFREG | e.mode) << 16);
    Put32(h, offset64 ? kMax32 : e.offset);
    h += e.name;
    if (!extra.empty()) {
      Put16(h, 0x0001);
      Put16(h, extra.size());
      h += extra;
    }
    JEPSEN_RETURN_IF_ERROR(Emit(h));
  }
  uint64_t cd_size = offset_ - cd_offset;
  uint64_t count = entries_.size();
  bool end64 =
      options_.force_zip64 || count >= 0xFFFF || cd_offset >= kMax32 || cd_size >= kMax32;
  std::string end;
  if (end64) {
    uint64_t record_offset = offset_;
    Put32(end, kZip64End);
    Put64(end, 44);  // the size of the rest of this record
    Put16(end, kMadeByUnix | 45);
    Put16(end, 45);
    Put32(end, 0);
    Put32(end, 0);
    Put64(end, count);
    Put64(end, count);
    Put64(end, cd_size);
    Put64(end, cd_offset);
    Put32(end, kZip64Locator);
    Put32(end, 0);
    Put64(end, record_offset);
    Put32(end, 1);
  }
  Put32(end, kEnd);
  Put16(end, 0);
  Put16(end, 0);
  Put16(end, end64 ? 0xFFFF : count);
  Put16(end, end64 ? 0xFFFF : count);
  Put32(end, end64 ? kMax32 : cd_size);
  Put32(end, end64 ? kMax32 : cd_offset);
  Put16(end, 0);  // comment
  return Emit(end);
}

Status ZipWriter::Finish() {
  if (finished_) return FailedPreconditionError("zip: Finish called twice");
  finished_ = true;
  JEPSEN_RETURN_IF_ERROR(WriteCentralDirectory());
  return Flush();
}

}  // namespace jepsen::web
