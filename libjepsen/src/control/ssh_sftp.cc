#include "control/ssh_sftp.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <libssh/sftp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

namespace jepsen {
namespace {

namespace fs = std::filesystem;

constexpr size_t kChunk = 32 * 1024;
// Deep enough for any real tree; stops a symlink loop in an uploaded tree.
constexpr int kMaxDepth = 64;

std::string Errno(std::string_view what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

// A local file descriptor, closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// One SFTP channel on a connection. Every libssh call goes through Lock().
class Sftp {
 public:
  explicit Sftp(SshConnection& connection) : c_(connection) {}
  ~Sftp() {
    if (sftp_ == nullptr) return;
    MutexLock lock(c_.mu());
    sftp_free(sftp_);
  }
  Sftp(const Sftp&) = delete;
  Sftp& operator=(const Sftp&) = delete;

  Status Init() {
    MutexLock lock(c_.mu());
    sftp_ = sftp_new(c_.session());
    if (sftp_ == nullptr) return c_.Failure("cannot open an SFTP channel");
    if (sftp_init(sftp_) != SSH_OK) return Error("cannot start SFTP", "");
    return OkStatus();
  }

  Status Upload(const fs::path& local, const std::string& remote, int depth);
  Status Download(const std::string& remote, const fs::path& local, int depth);

 private:
  // The error of the last SFTP call. Requires the lock.
  Status Error(std::string_view what, const std::string& path) REQUIRES(c_.mu()) {
    if (!ssh_is_connected(c_.session()))
      return c_.Failure(fmt::format("{} {}", what, path));
    const int code = sftp_ == nullptr ? SSH_FX_FAILURE : sftp_get_error(sftp_);
    std::string message = fmt::format("ssh {}: {} {}: {} (sftp code {})", c_.label(),
                                      what, path, ssh_get_error(c_.session()), code);
    if (code == SSH_FX_NO_SUCH_FILE || code == SSH_FX_NO_SUCH_PATH) {
      return NotFoundError(std::move(message));
    }
    return IoError(std::move(message));
  }

  Status UploadFile(const fs::path& local, const std::string& remote, mode_t mode);
  Status UploadDir(const fs::path& local, const std::string& remote, mode_t mode,
                   int depth);
  Status DownloadFile(const std::string& remote, const fs::path& local, mode_t mode);
  Status DownloadDir(const std::string& remote, const fs::path& local, mode_t mode,
                     int depth);

  SshConnection& c_;
  sftp_session sftp_ = nullptr;
};

Status Sftp::Upload(const fs::path& local, const std::string& remote, int depth) {
  if (depth > kMaxDepth) {
    return IoError(fmt::format("upload {}: deeper than {} levels (a symlink loop?)",
                               local.string(), kMaxDepth));
  }
  struct stat st {};
  if (::stat(local.c_str(), &st) != 0) {
    return errno == ENOENT ? NotFoundError(Errno("upload: no such file", local.string()))
                           : IoError(Errno("upload: cannot stat", local.string()));
  }
  const mode_t mode = st.st_mode & 07777;
  if (S_ISDIR(st.st_mode)) return UploadDir(local, remote, mode, depth);
  if (!S_ISREG(st.st_mode)) {
    return IoError(
        fmt::format("upload {}: not a regular file or directory", local.string()));
  }
  return UploadFile(local, remote, mode);
}

Status Sftp::UploadFile(const fs::path& local, const std::string& remote, mode_t mode) {
  Fd in(::open(local.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return IoError(Errno("upload: cannot open", local.string()));
  sftp_file file = nullptr;
  {
    MutexLock lock(c_.mu());
    file = sftp_open(sftp_, remote.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (file == nullptr) return Error("cannot create", remote);
  }
  std::vector<char> buf(kChunk);
  Status status;
  while (status.ok()) {
    const ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      status = IoError(Errno("upload: cannot read", local.string()));
      break;
    }
    if (n == 0) break;
    MutexLock lock(c_.mu());
    if (sftp_write(file, buf.data(), static_cast<size_t>(n)) != n) {
      status = Error("cannot write", remote);
    }
  }
  MutexLock lock(c_.mu());
  if (sftp_close(file) != SSH_OK && status.ok()) status = Error("cannot close", remote);
  // An existing file keeps its old mode through open, and umask narrows a new one.
  if (status.ok() && sftp_chmod(sftp_, remote.c_str(), mode) != SSH_OK) {
    status = Error("cannot chmod", remote);
  }
  return status;
}

Status Sftp::UploadDir(const fs::path& local, const std::string& remote, mode_t mode,
                       int depth) {
  {
    MutexLock lock(c_.mu());
    if (sftp_mkdir(sftp_, remote.c_str(), mode | S_IRWXU) != SSH_OK) {
      sftp_attributes a = sftp_stat(sftp_, remote.c_str());
      const bool is_dir = a != nullptr && a->type == SSH_FILEXFER_TYPE_DIRECTORY;
      sftp_attributes_free(a);
      if (!is_dir) return Error("cannot create directory", remote);
    }
  }
  std::error_code ec;
  std::vector<fs::path> children;
  for (fs::directory_iterator it(local, ec), end; !ec && it != end; it.increment(ec)) {
    children.push_back(it->path());
  }
  if (ec)
    return IoError(
        fmt::format("upload: cannot list {}: {}", local.string(), ec.message()));
  std::sort(children.begin(), children.end());
  for (const fs::path& child : children) {
    JEPSEN_RETURN_IF_ERROR(
        Upload(child, remote + "/" + child.filename().string(), depth + 1));
  }
  MutexLock lock(c_.mu());
  if (sftp_chmod(sftp_, remote.c_str(), mode) != SSH_OK)
    return Error("cannot chmod", remote);
  return OkStatus();
}

Status Sftp::Download(const std::string& remote, const fs::path& local, int depth) {
  mode_t mode = 0;
  uint8_t type = 0;
  {
    MutexLock lock(c_.mu());
    sftp_attributes a = sftp_stat(sftp_, remote.c_str());
    if (a == nullptr) return Error("cannot stat", remote);
    mode = static_cast<mode_t>(a->permissions & 07777);
    type = a->type;
    sftp_attributes_free(a);
  }
  if (type == SSH_FILEXFER_TYPE_DIRECTORY) return DownloadDir(remote, local, mode, depth);
  if (type != SSH_FILEXFER_TYPE_REGULAR) {
    return IoError(fmt::format("ssh {}: download {}: not a regular file or directory",
                               c_.label(), remote));
  }
  return DownloadFile(remote, local, mode);
}

Status Sftp::DownloadFile(const std::string& remote, const fs::path& local, mode_t mode) {
  sftp_file file = nullptr;
  {
    MutexLock lock(c_.mu());
    file = sftp_open(sftp_, remote.c_str(), O_RDONLY, 0);
    if (file == nullptr) return Error("cannot open", remote);
  }
  auto close_file = [&] {
    MutexLock lock(c_.mu());
    sftp_close(file);
  };
  Fd out(::open(local.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode | S_IWUSR));
  if (out.get() < 0) {
    close_file();
    return IoError(Errno("download: cannot create", local.string()));
  }
  std::vector<char> buf(kChunk);
  while (true) {
    ssize_t n = 0;
    {
      MutexLock lock(c_.mu());
      n = sftp_read(file, buf.data(), buf.size());
      if (n < 0) {
        Status s = Error("cannot read", remote);
        sftp_close(file);
        return s;
      }
    }
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      const ssize_t w =
          ::write(out.get(), buf.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        close_file();
        return IoError(Errno("download: cannot write", local.string()));
      }
      done += w;
    }
  }
  close_file();
  if (::fchmod(out.get(), mode) != 0)
    return IoError(Errno("download: cannot chmod", local.string()));
  return OkStatus();
}

Status Sftp::DownloadDir(const std::string& remote, const fs::path& local, mode_t mode,
                         int depth) {
  if (depth > kMaxDepth) {
    return IoError(fmt::format("download {}: deeper than {} levels", remote, kMaxDepth));
  }
  std::error_code ec;
  fs::create_directories(local, ec);
  if (ec)
    return IoError(
        fmt::format("download: cannot create {}: {}", local.string(), ec.message()));
  struct Entry {
    std::string name;
    uint8_t type;
    mode_t mode;
  };
  std::vector<Entry> entries;
  {
    MutexLock lock(c_.mu());
    sftp_dir dir = sftp_opendir(sftp_, remote.c_str());
    if (dir == nullptr) return Error("cannot open directory", remote);
    while (sftp_attributes a = sftp_readdir(sftp_, dir)) {
      std::string name = a->name == nullptr ? "" : a->name;
      if (name != "." && name != ".." && !name.empty()) {
        entries.push_back({name, a->type, static_cast<mode_t>(a->permissions & 07777)});
      }
      sftp_attributes_free(a);
    }
    const bool complete = sftp_dir_eof(dir) != 0;
    sftp_closedir(dir);
    if (!complete) return Error("cannot list directory", remote);
  }
  for (const Entry& e : entries) {
    const std::string child = remote + "/" + e.name;
    const fs::path local_child = local / e.name;
    if (e.type == SSH_FILEXFER_TYPE_DIRECTORY) {
      JEPSEN_RETURN_IF_ERROR(DownloadDir(child, local_child, e.mode, depth + 1));
    } else if (e.type == SSH_FILEXFER_TYPE_REGULAR) {
      JEPSEN_RETURN_IF_ERROR(DownloadFile(child, local_child, e.mode));
    } else if (e.type == SSH_FILEXFER_TYPE_SYMLINK) {
      std::string target;
      {
        MutexLock lock(c_.mu());
        char* t = sftp_readlink(sftp_, child.c_str());
        if (t == nullptr) return Error("cannot read link", child);
        target = t;
        ssh_string_free_char(t);
      }
      fs::remove(local_child, ec);
      fs::create_symlink(target, local_child, ec);
      if (ec)
        return IoError(fmt::format("download: cannot create symlink {}: {}",
                                   local_child.string(), ec.message()));
    }
    // Sockets, fifos and devices are skipped: they cannot be copied as data.
  }
  if (::chmod(local.c_str(), mode) != 0)
    return IoError(Errno("download: cannot chmod", local.string()));
  return OkStatus();
}

}  // namespace

Status SftpUpload(SshConnection& connection, const std::string& local_path,
                  const std::string& remote_path) {
  Sftp sftp(connection);
  JEPSEN_RETURN_IF_ERROR(sftp.Init());
  return sftp.Upload(local_path, remote_path, 0);
}

Status SftpDownload(SshConnection& connection, const std::string& remote_path,
                    const std::string& local_path) {
  Sftp sftp(connection);
  JEPSEN_RETURN_IF_ERROR(sftp.Init());
  return sftp.Download(remote_path, local_path, 0);
}

}  // namespace jepsen
