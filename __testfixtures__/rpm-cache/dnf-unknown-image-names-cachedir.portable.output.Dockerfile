ARG REPO
FROM $REPO
RUN dnf -y install vim-minimal && dnf clean all && rm -rf /var/cache/dnf
