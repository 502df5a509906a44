FROM fedora:41
RUN dnf install -y git && dnf clean all && rm -rf /var/cache/libdnf5
