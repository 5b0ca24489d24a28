// File transfer over an SshConnection with SFTP: files and whole directory trees, in
// both directions.
//
// Each transfer opens its own SFTP channel and takes the connection's lock only for
// one SFTP request at a time (32 KiB per read or write), so commands running on the
// same connection keep going during a large copy.
//
// Semantics: the destination path is the copy itself. A directory is created (or
// merged into) and filled recursively. Upload preserves permission bits (and follows
// local symlinks); Download preserves permission bits and recreates symlinks as
// symlinks.
//
// Thread safety: any number of transfers may run at once on one connection.
#ifndef JEPSEN_CONTROL_SSH_SFTP_H_
#define JEPSEN_CONTROL_SSH_SFTP_H_

#include <string>

#include "control/ssh_connection.h"
#include "jepsen/status.h"

namespace jepsen {

// Errors: kUnavailable (the connection broke: the whole copy may be retried),
// kNotFound (the source does not exist), kIoError (anything else, e.g. permissions).
Status SftpUpload(SshConnection& connection, const std::string& local_path,
                  const std::string& remote_path);
Status SftpDownload(SshConnection& connection, const std::string& remote_path,
                    const std::string& local_path);

}  // namespace jepsen

#endif  // JEPSEN_CONTROL_SSH_SFTP_H_
