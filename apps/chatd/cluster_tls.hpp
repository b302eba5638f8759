// Loads the cluster's TLS files once at start, so that a wrong path, a key that
// does not match its certificate or a certificate of another CA stops the node
// with a clear message. CAF's OpenSSL module reads the same files again for
// every cluster connection and aborts the process if it cannot
// (CAF_RAISE_ERROR on the I/O thread): it must never meet a bad file.
#pragma once

#include <string>

#include "actors/settings.hpp"

namespace chat {

// "" if the CA, certificate and key load, belong together and the certificate
// chains to the CA; otherwise what is wrong, naming the file.
std::string check_cluster_credentials(const settings& s);

// Warning text if the key file can be read by group or others, else "".
std::string key_file_permission_warning(const std::string& key_path);

}  // namespace chat
