/* A shared library that implements no module. */
int no_entry_here(void);

int
no_entry_here(void)
{
	return 1;
}
