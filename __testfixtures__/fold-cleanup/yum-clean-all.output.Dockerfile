FROM rockylinux:9
RUN yum install -y git && yum clean all
