FROM almalinux:9
RUN dnf install -y python3 && dnf clean all && rm -rf /var/cache/* /tmp/*
