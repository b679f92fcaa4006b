import sys

from installer.scriptlets.main import main

sys.exit(main())
