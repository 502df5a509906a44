FROM fedora:40 AS build
RUN dnf --installroot /rootfs --releasever 40 install -y coreutils && dnf --installroot /rootfs clean all
FROM scratch
COPY --from=build /rootfs /
