#include "cli/app.h"

int main(int argc, char** argv) { return cdmlake::cli::Main(argc, argv); }
